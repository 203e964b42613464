using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Nurture;

/// <summary>
/// The extra headers of a nurture email: <c>List-Unsubscribe</c> (the lead's unsubscribe link in angle brackets) and the
/// one-click <c>List-Unsubscribe-Post</c>, looked up ignoring case like the dictionary they replace. The link is formatted
/// when a transport first reads it, not for every message.
/// </summary>
internal sealed class UnsubscribeHeaders(UnsubscribeLink link, Lead lead, DateTimeOffset now) : IReadOnlyDictionary<string, string>
{
    public const string ListUnsubscribe = "List-Unsubscribe";
    public const string ListUnsubscribePost = "List-Unsubscribe-Post";
    public const string OneClick = "List-Unsubscribe=One-Click";

    private string? _value;

    /// <summary>Gets the link the headers are made of.</summary>
    public UnsubscribeLink Link => link;

    public int Count => 2;

    public IEnumerable<string> Keys => [ListUnsubscribe, ListUnsubscribePost];

    public IEnumerable<string> Values => [Value, OneClick];

    // Formatted once, by whichever reader comes first (the result is the same for every reader).
    private string Value => _value ??= link.Format(lead, now, angleBrackets: true);

    public string this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The given key '{key}' was not present in the dictionary.");

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (string.Equals(key, ListUnsubscribe, StringComparison.OrdinalIgnoreCase))
        {
            value = Value;
            return true;
        }

        if (string.Equals(key, ListUnsubscribePost, StringComparison.OrdinalIgnoreCase))
        {
            value = OneClick;
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        yield return new KeyValuePair<string, string>(ListUnsubscribe, Value);
        yield return new KeyValuePair<string, string>(ListUnsubscribePost, OneClick);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
