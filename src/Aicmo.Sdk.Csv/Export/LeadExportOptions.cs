namespace Aicmo.Sdk.Csv.Export;

/// <summary>Configures <see cref="LeadCsvExporter"/> and <see cref="LeadJsonLinesExporter"/>.</summary>
public sealed class LeadExportOptions
{
    /// <summary>
    /// Gets or sets whether CSV text cells that a spreadsheet would run as a formula (starting with <c>=</c>, <c>+</c>,
    /// <c>-</c>, <c>@</c>, a tab or a carriage return) are neutralized by a leading apostrophe. A phone number in E.164 form
    /// (<c>+</c> and 7 to 15 digits, nothing else) is kept as it is: it cannot carry a formula. Numbers the exporter formats
    /// itself (scores, sizes, revenue) are never changed. JSON Lines output is always written raw.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool NeutralizeFormulas { get; set; } = true;

    /// <summary>Gets the attributes written as CSV columns (named by the attribute), after the fixed columns.</summary>
    /// <remarks>CSV needs its columns before the first row; JSON Lines writes every attribute of every lead.</remarks>
    public IList<string> AttributeColumns { get; } = [];

    /// <summary>Gets or sets the CSV delimiter.</summary>
    /// <value>The default value is <c>,</c>.</value>
    public char Delimiter { get; set; } = ',';

    /// <summary>Gets or sets whether the CSV output starts with a UTF-8 byte order mark (which Excel needs to read it as UTF-8).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ByteOrderMark { get; set; }
}
