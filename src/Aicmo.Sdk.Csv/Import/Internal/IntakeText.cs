using System.Buffers;
using System.Text;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Csv.Import.Internal;

/// <summary>
/// The core intake policy for characters (<see cref="TextPolicy"/>) as one vectorized search, plus U+FFFD, which marks bytes the
/// configured encoding could not decode.
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
    public static string CodePoint(char c) => TextPolicy.Describe(c);

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
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (TextPolicy.IsForbidden((char)c))
            {
                chars.Append((char)c);
            }
        }

        return chars.Append('\uFFFD').ToString();
    }
}
