namespace Aicmo.Sdk.Csv.Import.Internal;

/// <summary>Reads one raw field as RFC 4180 writes it: the parser splits the record, this checks and removes the quoting.</summary>
/// <remarks>
/// The parser is run without its own unescaping so that a quote out of place (a stray quote inside a field, text after the
/// closing quote, an unclosed quote) is seen here and the row rejected, instead of being silently repaired.
/// </remarks>
internal static class CsvFieldText
{
    /// <summary>Checks a raw field's quoting.</summary>
    /// <param name="raw">The field as the parser split it.</param>
    /// <param name="trim">Whether white space around the field (and inside the quotes) is removed.</param>
    /// <param name="value">The value without quotes (still escaped when <paramref name="hasEscapedQuotes"/>).</param>
    /// <param name="hasEscapedQuotes">Whether the value holds doubled quotes to collapse.</param>
    /// <returns>Whether the quoting is well formed.</returns>
    public static bool TryUnquote(ReadOnlySpan<char> raw, bool trim, out ReadOnlySpan<char> value, out bool hasEscapedQuotes)
    {
        if (trim)
        {
            raw = raw.Trim();
        }

        hasEscapedQuotes = false;
        var firstQuote = raw.IndexOf('"');
        if (firstQuote < 0)
        {
            value = raw;
            return true;
        }

        value = default;
        if (firstQuote != 0 || raw.Length < 2 || raw[^1] != '"')
        {
            return false;
        }

        var inner = raw[1..^1];
        for (var i = inner.IndexOf('"'); i >= 0; i = NextQuote(inner, i + 2))
        {
            if (i + 1 >= inner.Length || inner[i + 1] != '"')
            {
                return false;
            }

            hasEscapedQuotes = true;
        }

        value = trim ? inner.Trim() : inner;
        return true;
    }

    /// <summary>Collapses doubled quotes.</summary>
    /// <param name="escaped">The value between the quotes.</param>
    /// <returns>The text.</returns>
    public static string Unescape(ReadOnlySpan<char> escaped)
    {
        var text = new char[escaped.Length];
        var length = 0;
        for (var i = 0; i < escaped.Length; i++)
        {
            text[length++] = escaped[i];
            if (escaped[i] == '"')
            {
                i++;
            }
        }

        return new string(text, 0, length);
    }

    private static int NextQuote(ReadOnlySpan<char> text, int from)
    {
        if (from >= text.Length)
        {
            return -1;
        }

        var i = text[from..].IndexOf('"');
        return i < 0 ? -1 : from + i;
    }
}
