using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Aicmo.Sdk.AspNetCore.Internal;

/// <summary>
/// The intake rules for text the API stores: no control characters or line/paragraph separators (categories Cc, Zl, Zp, so no
/// CR/LF or U+2028 reaches a header, a log line or a CSV export), a length limit, and no leading formula character in a value
/// that ends up in a spreadsheet cell. Ids are a restricted slug, so they are safe in a path.
/// </summary>
internal static partial class TextRules
{
    public const int MaxIdLength = 64;

    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>Returns why <paramref name="value"/> is refused, or <see langword="null"/> when it is fine.</summary>
    public static string? Check(string? value, int maxLength, bool required = false, bool spreadsheetCell = false)
    {
        if (value is null)
        {
            return required ? "Required." : null;
        }

        if (required && string.IsNullOrWhiteSpace(value))
        {
            return "Required; must not be blank.";
        }

        if (value.Length > maxLength)
        {
            return $"At most {maxLength} characters.";
        }

        foreach (var rune in value.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return "Must not contain control characters or line breaks.";
            }
        }

        if (spreadsheetCell && value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            return "Must not start with '=', '+', '-' or '@' (a spreadsheet formula).";
        }

        return null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
