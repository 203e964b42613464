using System.Buffers;
using System.Globalization;

namespace Aicmo.Sdk.Domain;

/// <summary>
/// The one policy for characters that may not enter the system, applied before any store or mail header sees a value.
/// </summary>
/// <remarks>
/// <para>
/// <b>Intake.</b> A value harvested from a source or written by a stage may not contain C0 control characters other than
/// TAB, CR and LF (so never NUL), DEL, C1 control characters (U+0080–U+009F, among them U+0085 NEL), or the Unicode line
/// and paragraph separators U+2028 and U+2029. A candidate carrying one is rejected at intake with a reason naming the field
/// and the character; a lead that gains one in a stage is quarantined with the same kind of reason, and the value is not stored.
/// </para>
/// <para>
/// <b>Mail headers.</b> No character of Unicode categories Cc, Zl or Zp (which include CR, LF, TAB, NUL, U+0085, U+2028 and
/// U+2029) is allowed in any header value. A display name containing <c>"</c>, <c>,</c>, <c>&lt;</c>, <c>&gt;</c>,
/// <c>;</c>, <c>:</c>, <c>@</c> or <c>\</c> could be read by a careless transport as more than one address: the sender's is
/// refused by options validation, a recipient's is left out (the email goes to the bare address).
/// </para>
/// </remarks>
public static class TextPolicy
{
    private static readonly SearchValues<char> DisplayNameSpecials = SearchValues.Create("\",<>;:@\\");

    /// <summary>Finds the first character that the intake policy refuses.</summary>
    /// <param name="value">The value, or <see langword="null"/>.</param>
    /// <returns>The index of the first refused character, or -1 when the value may be stored.</returns>
    public static int IndexOfForbidden(string? value)
    {
        if (value is null)
        {
            return -1;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (IsForbidden(value[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Gets whether the intake policy refuses a character.</summary>
    /// <param name="c">The character.</param>
    /// <returns><see langword="true"/> for C0 controls other than TAB, CR and LF, DEL, C1 controls, U+2028 and U+2029.</returns>
    public static bool IsForbidden(char c) =>
        c < '\u0020' ? c is not ('\t' or '\r' or '\n') : c is >= '\u007F' and <= '\u009F' or '\u2028' or '\u2029';

    /// <summary>Finds the first character not allowed in a mail header value: categories Cc, Zl and Zp.</summary>
    /// <param name="value">The header value, or <see langword="null"/>.</param>
    /// <returns>The index of the first such character, or -1 when the value is safe in a header.</returns>
    public static int IndexOfHeaderBreak(string? value)
    {
        if (value is null)
        {
            return -1;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < '\u0020' || (c >= '\u007F' && (c <= '\u009F' || c == '\u2028' || c == '\u2029' ||
                char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Gets whether a value can be used as a display name in an address header as it is.</summary>
    /// <param name="name">The display name.</param>
    /// <returns><see langword="false"/> when it holds a header break or a character that has meaning in an address list.</returns>
    public static bool IsSafeDisplayName(string? name) =>
        name is null || (IndexOfHeaderBreak(name) < 0 && name.AsSpan().IndexOfAny(DisplayNameSpecials) < 0);

    /// <summary>Removes every character the intake policy refuses.</summary>
    /// <param name="value">The value, or <see langword="null"/>.</param>
    /// <returns>The value itself when it holds none, else a copy without them.</returns>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    public static string? RemoveForbidden(string? value) =>
        IndexOfForbidden(value) < 0 ? value : string.Concat(value!.Where(static c => !IsForbidden(c)));

    /// <summary>Describes a refused character for a reason a person can read, for example <c>U+0000</c>.</summary>
    /// <param name="c">The character.</param>
    /// <returns>Its code point.</returns>
    public static string Describe(char c) => string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}");
}
