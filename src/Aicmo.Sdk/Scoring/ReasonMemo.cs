namespace Aicmo.Sdk.Scoring;

/// <summary>
/// The reasons last formatted for a fixed number of keys (direct-mapped: a key replaces whichever key shared its slot), so a
/// reason that depends on a few values is formatted once per distinct values, not once per lead. Thread-safe: a slot holds
/// an immutable entry, replaced whole. Bounded by its slots.
/// </summary>
/// <remarks>
/// Kept because benchmarks/results/EngineBenchmarks-caches-before-after.md measured it: without the scorer's reason caches,
/// RuleBasedScorer.Score went from 1.0 to 1.8 µs and from 533 to 836 B per lead.
/// </remarks>
/// <typeparam name="TKey">The values the reason depends on.</typeparam>
internal sealed class ReasonMemo<TKey>
    where TKey : struct, IEquatable<TKey>
{
    private readonly Entry?[] _entries;
    private readonly int _mask;

    /// <summary>Initializes a new instance with <paramref name="slots"/> slots (a power of two).</summary>
    public ReasonMemo(int slots = 256)
    {
        _entries = new Entry?[slots];
        _mask = slots - 1;
    }

    public bool TryGet(TKey key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? reason)
    {
        var entry = Volatile.Read(ref _entries[key.GetHashCode() & _mask]);
        if (entry is not null && entry.Key.Equals(key))
        {
            reason = entry.Reason;
            return true;
        }

        reason = null;
        return false;
    }

    public string Add(TKey key, string reason)
    {
        Volatile.Write(ref _entries[key.GetHashCode() & _mask], new Entry(key, reason));
        return reason;
    }

    private sealed record Entry(TKey Key, string Reason);
}
