namespace Aicmo.Sdk.Benchmarks.Infrastructure;

/// <summary>
/// A thread-safe map made of plain dictionaries behind one lock each: entries are stored inline in the dictionaries' arrays, so
/// a million entries are a handful of arrays for the GC, not a million node objects as in a ConcurrentDictionary.
/// </summary>
public sealed class StripedMap<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue>[] _stripes;

    public StripedMap(int stripes = 64)
    {
        _stripes = new Dictionary<TKey, TValue>[stripes];
        for (var i = 0; i < stripes; i++)
        {
            _stripes[i] = [];
        }
    }

    public long Count
    {
        get
        {
            long count = 0;
            foreach (var stripe in _stripes)
            {
                lock (stripe)
                {
                    count += stripe.Count;
                }
            }

            return count;
        }
    }

    public bool TryAdd(TKey key, TValue value)
    {
        var stripe = StripeOf(key);
        lock (stripe)
        {
            return stripe.TryAdd(key, value);
        }
    }

    public TValue GetOrAdd(TKey key, TValue value, out bool added)
    {
        var stripe = StripeOf(key);
        lock (stripe)
        {
            added = stripe.TryAdd(key, value);
            return added ? value : stripe[key];
        }
    }

    /// <summary>Replaces the value when the key exists and <paramref name="expected"/> accepts the current value (atomically).</summary>
    public bool TryUpdate<TState>(TKey key, Func<TValue, TState, bool> expected, TState state, TValue value)
    {
        var stripe = StripeOf(key);
        lock (stripe)
        {
            if (!stripe.TryGetValue(key, out var current) || !expected(current, state))
            {
                return false;
            }

            stripe[key] = value;
            return true;
        }
    }

    private Dictionary<TKey, TValue> StripeOf(TKey key) => _stripes[(uint)key.GetHashCode() % (uint)_stripes.Length];
}
