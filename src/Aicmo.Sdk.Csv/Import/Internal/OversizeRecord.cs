using System.Globalization;

namespace Aicmo.Sdk.Csv.Import.Internal;

/// <summary>A record that grew past <see cref="CsvLeadSourceOptions.MaxRecordLength"/>.</summary>
/// <param name="Line">The line the record starts on.</param>
/// <param name="InQuote">Whether a quote was open when it passed the limit (an unclosed quote, most likely).</param>
/// <param name="Limit">The limit, in characters.</param>
internal sealed record OversizeRecord(int Line, bool InQuote, int Limit)
{
    /// <summary>Gets the reason a person reads: what happened, and where reading went on.</summary>
    public string Reason => InQuote
        ? string.Create(CultureInfo.InvariantCulture, $"unclosed quote starting at line {Line}: the record exceeds {Limit} characters (MaxRecordLength); line {Line} is rejected and reading resumes at line {Line + 1}, outside quotes")
        : string.Create(CultureInfo.InvariantCulture, $"line {Line} exceeds {Limit} characters (MaxRecordLength) without a line break; it is rejected and reading resumes at the next line");
}
