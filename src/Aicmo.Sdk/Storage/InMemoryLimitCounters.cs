namespace Aicmo.Sdk.Storage;

/// <summary>
/// A thread-safe in-memory <see cref="ILimitCounters"/>: the limits hold within one process. The default when no store is named.
/// </summary>
/// <remarks>
/// Memory stays bounded in a host that runs for months: a key keeps only the slots inside the longest window it was asked
/// about, and keys with none left are forgotten by a sweep that runs whenever the number of keys has doubled since the last one
/// (O(1) per take, amortized). A forgotten key had no slot inside any window, so forgetting it changes no answer.
/// </remarks>
public sealed class InMemoryLimitCounters : ILimitCounters
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Slots> _keys = new(StringComparer.Ordinal);
    private int _keysAfterSweep;

    /// <inheritdoc />
    public ValueTask<LimitOutcome> TryTakeAsync(ReadOnlyMemory<RollingLimit> limits, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var span = limits.Span;
        LimitChecks.Validate(span);
        var at = now.UtcTicks;
        lock (_gate)
        {
            SweepIfDue(at);
            var retryAt = long.MinValue;
            var exceeded = -1;
            for (var i = 0; i < span.Length; i++)
            {
                var limit = span[i];
                var slots = Get(limit.Key);
                slots.Keep(limit.Window.Ticks);
                slots.Trim(at);
                var frees = slots.FreesAt(at, limit.Max, limit.Window.Ticks);
                if (frees is { } f && f > retryAt)
                {
                    retryAt = f;
                    exceeded = i;
                }
            }

            if (exceeded >= 0)
            {
                return new(new LimitOutcome(false, exceeded, new DateTimeOffset(retryAt, TimeSpan.Zero)));
            }

            for (var i = 0; i < span.Length; i++)
            {
                var key = span[i].Key;
                if (!Repeats(span, i, key))
                {
                    _keys[key].Add(at);
                }
            }

            return new(new LimitOutcome(true, -1, now));
        }
    }

    /// <inheritdoc />
    public ValueTask<int> CountAsync(string key, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        LimitChecks.ValidateKey(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        lock (_gate)
        {
            return new(_keys.TryGetValue(key, out var slots) ? slots.Count(now.UtcTicks - window.Ticks) : 0);
        }
    }

    /// <inheritdoc />
    public ValueTask<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        long pruned = 0;
        lock (_gate)
        {
            foreach (var (key, slots) in _keys)
            {
                pruned += slots.RemoveBefore(before.UtcTicks);
                if (slots.IsEmpty)
                {
                    _keys.Remove(key);
                }
            }

            _keysAfterSweep = _keys.Count;
        }

        return new(pruned);
    }

    // A key named twice (per hour and per day) takes one slot.
    private static bool Repeats(ReadOnlySpan<RollingLimit> limits, int index, string key)
    {
        for (var j = 0; j < index; j++)
        {
            if (string.Equals(limits[j].Key, key, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private Slots Get(string key)
    {
        if (!_keys.TryGetValue(key, out var slots))
        {
            slots = new Slots();
            _keys[key] = slots;
        }

        return slots;
    }

    private void SweepIfDue(long now)
    {
        if (_keys.Count < Math.Max(1024, _keysAfterSweep * 2))
        {
            return;
        }

        foreach (var (key, slots) in _keys)
        {
            slots.Trim(now);
            if (slots.IsEmpty)
            {
                // Removing the current entry while enumerating is allowed for Dictionary<TKey, TValue> since .NET Core 3.0.
                _keys.Remove(key);
            }
        }

        _keysAfterSweep = _keys.Count;
    }

    /// <summary>The instants (UTC ticks) of one key's slots, oldest first, and the longest window the key was asked about.</summary>
    private sealed class Slots
    {
        private readonly List<long> _at = [];
        private long _window;

        public bool IsEmpty => _at.Count == 0;

        public void Keep(long window) => _window = Math.Max(_window, window);

        // Slots older than the longest window count against nothing.
        public void Trim(long now) => RemoveBefore(now - _window + 1);

        public int RemoveBefore(long before)
        {
            var n = FirstAtOrAfter(before);
            _at.RemoveRange(0, n);
            return n;
        }

        public int Count(long windowStart) => _at.Count - FirstAtOrAfter(windowStart + 1);

        // The window ending now holds the slots after now - window; when it holds max or more, a slot frees when the max-th
        // newest leaves it. Null when there is room.
        public long? FreesAt(long now, int max, long window)
        {
            var first = FirstAtOrAfter(now - window + 1);
            var inWindow = _at.Count - first;
            return inWindow < max ? null : _at[_at.Count - max] + window;
        }

        public void Add(long at)
        {
            // Callers may pass instants out of order (each has its own clock reading): keep the list ordered.
            var index = _at.Count > 0 && _at[^1] > at ? FirstAtOrAfter(at + 1) : _at.Count;
            _at.Insert(index, at);
        }

        private int FirstAtOrAfter(long at)
        {
            int lo = 0, hi = _at.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_at[mid] < at)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }
    }
}
