namespace Aicmo.Sdk.Csv.Import;

/// <summary>Configures a <see cref="CsvLeadSource"/>. Every option can be bound from configuration.</summary>
public sealed class CsvLeadSourceOptions
{
    /// <summary>Gets or sets the path of the file to read. Required unless the source is given a stream to open.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Path { get; set; }

    /// <summary>Gets or sets the source's name, recorded on every lead it yields.</summary>
    /// <value>The default value is <see langword="null"/>: <c>csv:</c> followed by the file name (or <c>csv</c> for a stream).</value>
    public string? SourceName { get; set; }

    /// <summary>
    /// Gets or sets the text encoding when the file starts with no byte order mark (a UTF-8, UTF-16 or UTF-32 mark always
    /// wins). Any name <see cref="System.Text.Encoding.GetEncoding(string)"/> or the code-page provider knows, such as
    /// <c>utf-8</c>, <c>iso-8859-1</c> or <c>windows-1252</c>.
    /// </summary>
    /// <value>The default value is <c>utf-8</c>.</value>
    public string Encoding { get; set; } = "utf-8";

    /// <summary>Gets or sets the field delimiter. It cannot be a double quote, a line break or a letter or digit.</summary>
    /// <value>The default value is <c>,</c>.</value>
    public char Delimiter { get; set; } = ',';

    /// <summary>Gets or sets how fields are quoted.</summary>
    /// <value>The default value is <see cref="CsvQuoting.Rfc4180"/>.</value>
    public CsvQuoting Quoting { get; set; } = CsvQuoting.Rfc4180;

    /// <summary>
    /// Gets the column mapping: header name → target (see <see cref="LeadColumnTargets"/>; a field name, an alias such as
    /// <c>first_name</c>, <c>ignore</c>, or <c>attribute:name</c>). Headers are matched exactly first, then whatever their
    /// case and separators. Columns not named here are recognized by their header (<c>First Name</c>, <c>Email Address</c>,
    /// <c>Company Name</c>, <c>website</c>, …).
    /// </summary>
    public IDictionary<string, string> Columns { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets whether columns that map to no field are kept as attributes named by their header.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool KeepUnknownColumns { get; set; } = true;

    /// <summary>
    /// Gets the targets every row must have a value for (see <see cref="LeadColumnTargets"/>). A file whose header maps no
    /// column to one of them fails the source at its start; a row with the column empty is rejected.
    /// </summary>
    public IList<string> RequiredFields { get; } = [];

    /// <summary>Gets or sets the longest field accepted, in characters; a row with a longer field is rejected.</summary>
    /// <value>The default value is 65,536.</value>
    public int MaxFieldLength { get; set; } = 65_536;

    /// <summary>
    /// Gets or sets the longest record read, in characters (its line breaks and quotes included). A longer record (most often
    /// an unclosed quote, which would make the rest of the file one record) is rejected with the line it starts on, and
    /// reading resumes at the next line. The parser holds at most about this much text at a time, so it bounds the memory a
    /// malformed file can take to a small multiple of it (characters are two bytes, and the text kept to resume after such a
    /// record is at most the limit again). It must be at least <see cref="MaxFieldLength"/>.
    /// </summary>
    /// <value>The default value is 4,194,304 (4 Mi characters).</value>
    public int MaxRecordLength { get; set; } = 4 << 20;

    /// <summary>Gets or sets whether leading and trailing white space is removed from every value.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool TrimValues { get; set; } = true;
}
