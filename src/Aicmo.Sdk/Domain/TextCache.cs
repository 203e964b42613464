using System.Collections.Concurrent;

namespace Aicmo.Sdk.Domain;

/// <summary>
/// A bounded, thread-safe set of texts looked up by their characters: a reason formatted into a stack buffer is returned as the
/// string already made for the same text, so reasons that repeat across leads (a company size, a score rounded to a few
/// digits) are allocated once. When the set is full, new texts are still returned, just not remembered.
/// </summary>
/// <example>
/// <code>
/// Span&lt;char&gt; buffer = stackalloc char[128];
/// var reason = buffer.TryWrite(CultureInfo.InvariantCulture, $"{size} employees", out var n)
///     ? Cache.Get(buffer[..n])
///     : string.Create(CultureInfo.InvariantCulture, $"{size} employees");
/// </code>
/// </example>
/// <remarks>
/// Kept because benchmarks/results/EngineBenchmarks-caches-before-after.md measured it: without it the scorer formats its
/// reasons for every lead (RuleBasedScorer.Score 1.0 → 1.8 µs and 533 → 836 B per lead).
/// </remarks>
internal sealed class TextCache
{
    private readonly ConcurrentDictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;
    private int _count;

    public TextCache(int capacity)
    {
        _capacity = capacity;
        _lookup = _texts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Returns a string holding <paramref name="text"/>.</summary>
    public string Get(ReadOnlySpan<char> text)
    {
        if (_lookup.TryGetValue(text, out var known))
        {
            return known;
        }

        var made = text.ToString();
        // ConcurrentDictionary.Count takes every lock; a counter of our own is enough to bound the set.
        if (Volatile.Read(ref _count) < _capacity && _texts.TryAdd(made, made))
        {
            Interlocked.Increment(ref _count);
        }

        return made;
    }
}
