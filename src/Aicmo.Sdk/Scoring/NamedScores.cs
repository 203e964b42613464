using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Aicmo.Sdk.Scoring;

/// <summary>
/// The named scores of one lead (<see cref="Domain.LeadScore.Scores"/>): the names, shared by every lead a scorer scores, and
/// the values, held inline for the usual two names. Read-only; keys compare ordinally; enumerated in the scorer's name order.
/// </summary>
internal sealed class NamedScores : IReadOnlyDictionary<string, double>
{
    private readonly string[] _names;
    private readonly double _first;
    private readonly double _second;
    private readonly double[]? _rest;

    /// <summary>Initializes a new instance holding <paramref name="values"/>, one per name.</summary>
    public NamedScores(string[] names, ReadOnlySpan<double> values)
    {
        _names = names;
        _first = values.Length > 0 ? values[0] : 0;
        _second = values.Length > 1 ? values[1] : 0;
        _rest = values.Length > 2 ? values[2..].ToArray() : null;
    }

    public int Count => _names.Length;

    public IEnumerable<string> Keys => _names;

    public IEnumerable<double> Values
    {
        get
        {
            for (var i = 0; i < _names.Length; i++)
            {
                yield return ValueAt(i);
            }
        }
    }

    public double this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The given key '{key}' was not present in the dictionary.");

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out double value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? ValueAt(index) : 0;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator()
    {
        for (var i = 0; i < _names.Length; i++)
        {
            yield return new KeyValuePair<string, double>(_names[i], ValueAt(i));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private double ValueAt(int index) => index switch
    {
        0 => _first,
        1 => _second,
        _ => _rest![index - 2],
    };

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = 0; i < _names.Length; i++)
        {
            if (string.Equals(_names[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
