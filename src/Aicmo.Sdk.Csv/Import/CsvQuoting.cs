namespace Aicmo.Sdk.Csv.Import;

/// <summary>How a CSV file quotes its fields.</summary>
public enum CsvQuoting
{
    /// <summary>
    /// RFC 4180: a field may be enclosed in double quotes, a quote inside it is doubled, and a quoted field may hold the
    /// delimiter and line breaks. A quote anywhere else (a stray quote, text after a closing quote, an unclosed quote) makes
    /// the row malformed.
    /// </summary>
    Rfc4180,

    /// <summary>No quoting: a double quote is ordinary text and every line is one record.</summary>
    None,
}
