using System.Buffers;
using System.Globalization;
using System.Text;

namespace Aicmo.Sdk.Csv.Import.Internal;

/// <summary>
/// The intake policy for characters: C0 controls other than tab, carriage return and line feed, and U+0085, U+2028 and U+2029
/// are refused; U+FFFD marks bytes the configured encoding could not decode.
/// </summary>
internal static class IntakeText
{
    private static readonly SearchValues<char> Refused = SearchValues.Create(BuildRefused());

    /// <summary>Finds the first refused character, or -1.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The index, or -1.</returns>
    public static int IndexOfRefused(ReadOnlySpan<char> value) => value.IndexOfAny(Refused);

    /// <summary>Spells a character as <c>U+0000</c>.</summary>
    /// <param name="c">The character.</param>
    /// <returns>The code point.</returns>
    public static string CodePoint(char c) => string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}");

    /// <summary>Quotes a header for a message, spelling out any character the policy refuses, so a reason is always clean text.</summary>
    /// <param name="name">The header.</param>
    /// <returns>The quoted header.</returns>
    public static string Quote(string name)
    {
        if (IndexOfRefused(name) < 0)
        {
            return "\"" + name + "\"";
        }

        var text = new StringBuilder(name.Length + 8).Append('"');
        foreach (var c in name)
        {
            _ = Refused.Contains(c) ? text.Append('\\').Append(CodePoint(c)) : text.Append(c);
        }

        return text.Append('"').ToString();
    }

    private static string BuildRefused()
    {
        var chars = new StringBuilder();
        for (var c = '\0'; c < ' '; c++)
        {
            if (c is not ('\t' or '\r' or '\n'))
            {
                chars.Append(c);
            }
        }

        return chars.Append('\u0085').Append('\u2028').Append('\u2029').Append('\uFFFD').ToString();
    }
}
