using System.Globalization;
using System.Text.RegularExpressions;

namespace Aicmo.Sdk.Smtp.Inbox.Internal;

/// <summary>
/// Finds the day an out-of-office answer says its writer is back, in the usual phrasings: <c>back on 14 December</c>,
/// <c>until December 14th, 2026</c>, <c>returning 2026-12-14</c>, <c>bis 14.12.2026</c>, <c>until 12/14/2026</c>, <c>back on Monday</c>.
/// </summary>
/// <remarks>
/// Every date in the text (quoted earlier messages left out) is read; a date without a year is its next occurrence on or after
/// the answer's date. A date after <c>until</c>, <c>till</c>, <c>through</c> or <c>bis</c> is the last day away, so the writer is
/// back the day after; other dates are the return day itself. Of the dates after today and within the longest believable pause, the
/// latest wins ("away from 1 December, back on 15 December"). Numeric dates with slashes are read month first unless the first
/// number is over 12; with dots, day first.
/// </remarks>
internal static partial class ReturnDateParser
{
    private static readonly Dictionary<string, int> Months = new(StringComparer.OrdinalIgnoreCase)
    {
        ["january"] = 1, ["jan"] = 1, ["januar"] = 1, ["jänner"] = 1, ["janvier"] = 1, ["enero"] = 1,
        ["february"] = 2, ["feb"] = 2, ["februar"] = 2, ["février"] = 2, ["fevrier"] = 2, ["febrero"] = 2,
        ["march"] = 3, ["mar"] = 3, ["märz"] = 3, ["maerz"] = 3, ["mars"] = 3, ["marzo"] = 3,
        ["april"] = 4, ["apr"] = 4, ["avril"] = 4, ["abril"] = 4,
        ["may"] = 5, ["mai"] = 5, ["mayo"] = 5,
        ["june"] = 6, ["jun"] = 6, ["juni"] = 6, ["juin"] = 6, ["junio"] = 6,
        ["july"] = 7, ["jul"] = 7, ["juli"] = 7, ["juillet"] = 7, ["julio"] = 7,
        ["august"] = 8, ["aug"] = 8, ["août"] = 8, ["aout"] = 8, ["agosto"] = 8,
        ["september"] = 9, ["sep"] = 9, ["sept"] = 9, ["septembre"] = 9, ["septiembre"] = 9,
        ["october"] = 10, ["oct"] = 10, ["oktober"] = 10, ["octobre"] = 10, ["octubre"] = 10,
        ["november"] = 11, ["nov"] = 11, ["novembre"] = 11, ["noviembre"] = 11,
        ["december"] = 12, ["dec"] = 12, ["dezember"] = 12, ["décembre"] = 12, ["decembre"] = 12, ["diciembre"] = 12,
    };

    /// <summary>Finds the return day stated in an out-of-office text.</summary>
    /// <param name="text">The answer's body.</param>
    /// <param name="sentOn">The day the answer was written (for dates without a year and weekdays).</param>
    /// <param name="today">Today: only later days count.</param>
    /// <param name="latest">The last day believed.</param>
    /// <param name="returnDay">The day the writer is back.</param>
    /// <returns>Whether a return day was found.</returns>
    public static bool TryParse(string? text, DateOnly sentOn, DateOnly today, DateOnly latest, out DateOnly returnDay)
    {
        returnDay = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = WithoutQuotedText(text);
        var found = false;
        foreach (var (day, index, length) in Dates(text, sentOn))
        {
            var back = IsLastDayAway(text, index) ? day.AddDays(1) : day;
            if (back > today && back <= latest && (!found || back > returnDay))
            {
                returnDay = back;
                found = true;
            }
        }

        return found;
    }

    private static IEnumerable<(DateOnly Day, int Index, int Length)> Dates(string text, DateOnly sentOn)
    {
        foreach (Match m in IsoDate().Matches(text))
        {
            if (Make(Number(m.Groups["y"]), Number(m.Groups["m"]), Number(m.Groups["d"])) is { } day)
            {
                yield return (day, m.Index, m.Length);
            }
        }

        foreach (Match m in NumericDate().Matches(text))
        {
            int first = Number(m.Groups["a"]), second = Number(m.Groups["b"]), year = Year(Number(m.Groups["y"]));
            var dayFirst = m.Groups["sep"].Value == "." || first > 12;
            if (Make(year, dayFirst ? second : first, dayFirst ? first : second) is { } day)
            {
                yield return (day, m.Index, m.Length);
            }
        }

        foreach (Match m in DayMonthDate().Matches(text))
        {
            if (Months.TryGetValue(m.Groups["month"].Value, out var month) && WithYear(m.Groups["y"], month, Number(m.Groups["d"]), sentOn) is { } day)
            {
                yield return (day, m.Index, m.Length);
            }
        }

        foreach (Match m in MonthDayDate().Matches(text))
        {
            if (Months.TryGetValue(m.Groups["month"].Value, out var month) && WithYear(m.Groups["y"], month, Number(m.Groups["d"]), sentOn) is { } day)
            {
                yield return (day, m.Index, m.Length);
            }
        }

        foreach (Match m in BackOnWeekday().Matches(text))
        {
            if (Enum.TryParse<DayOfWeek>(m.Groups["weekday"].Value, ignoreCase: true, out var weekday))
            {
                var ahead = ((int)weekday - (int)sentOn.DayOfWeek + 7) % 7;
                var day = sentOn.AddDays(ahead == 0 ? 7 : ahead);

                // "until Friday" names the last day away like a date does; the weekday sits at the end of the match.
                yield return (day, m.Index + m.Length - m.Groups["weekday"].Length, m.Groups["weekday"].Length);
            }
        }
    }

    private static DateOnly? WithYear(Group year, int month, int dayOfMonth, DateOnly sentOn)
    {
        if (year.Success)
        {
            return Make(Number(year), month, dayOfMonth);
        }

        if (Make(sentOn.Year, month, dayOfMonth) is not { } thisYear)
        {
            return null;
        }

        return thisYear >= sentOn ? thisYear : Make(sentOn.Year + 1, month, dayOfMonth);
    }

    private static bool IsLastDayAway(string text, int index)
    {
        var start = Math.Max(0, index - 40);
        return UntilBefore().IsMatch(text.AsSpan(start, index - start));
    }

    private static string WithoutQuotedText(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var kept = new List<string>(lines.Length);
        foreach (var line in lines)
        {
            if (QuoteHeader().IsMatch(line))
            {
                break;
            }

            if (!line.TrimStart().StartsWith('>'))
            {
                kept.Add(line);
            }
        }

        return string.Join('\n', kept);
    }

    private static int Number(Group group) => group.Success ? int.Parse(group.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture) : 0;

    private static int Year(int year) => year < 100 ? 2000 + year : year;

    private static DateOnly? Make(int year, int month, int day) =>
        year is >= 2000 and <= 2999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;

    private const string MonthNames =
        "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|" +
        "januar|jänner|februar|märz|maerz|juni|juli|oktober|dezember|mai|" +
        "janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|" +
        "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre";

    [GeneratedRegex(@"\b(?<y>20\d{2})-(?<m>\d{1,2})-(?<d>\d{1,2})\b", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"(?<![\d./])(?<a>\d{1,2})(?<sep>[./])(?<b>\d{1,2})\k<sep>(?<y>\d{4}|\d{2})(?![\d/]|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex NumericDate();

    [GeneratedRegex(@"\b(?<d>\d{1,2})(?:st|nd|rd|th|er|\.)?\s+(?:of\s+|de\s+)?(?<month>" + MonthNames + @")\b\.?(?:,?\s+(?:de\s+)?(?<y>20\d{2})\b)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DayMonthDate();

    [GeneratedRegex(@"\b(?<month>" + MonthNames + @")\b\.?\s+(?<d>\d{1,2})(?:st|nd|rd|th)?\b(?![:.]\d)(?:,?\s+(?<y>20\d{2})\b)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MonthDayDate();

    [GeneratedRegex(@"\b(?:until|till|back|return|returning)\s+(?:on\s+|next\s+)?(?<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?!,?\s+\d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BackOnWeekday();

    [GeneratedRegex(@"\b(?:until|till|til|through|thru|bis|jusqu'?au|hasta)\b(?:\s+(?:and\s+including|einschließlich|einschl\.|inclusive|incl\.|zum|am|le|el|the|on))*\s*(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag),?\s*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UntilBefore();

    [GeneratedRegex(@"^\s*(?:-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine)|on .+ wrote:\s*$|am .+ schrieb .+:\s*$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuoteHeader();
}
