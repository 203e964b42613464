using System.Globalization;
using Aicmo.Sdk.Domain;
using nietras.SeparatedValues;

namespace Aicmo.Sdk.Csv.Import.Internal;

/// <summary>Turns the records of one file into candidates, or into rejected candidates with their reason. One per read.</summary>
internal sealed class CsvRowMapper
{
    private readonly ColumnMap _map;
    private readonly CsvLeadSourceOptions _options;
    private readonly string _encodingName;
    private readonly string?[] _values;
    private readonly bool _quoted;

    public CsvRowMapper(ColumnMap map, CsvLeadSourceOptions options, string encodingName)
    {
        _map = map;
        _options = options;
        _encodingName = encodingName;
        _values = new string?[map.Columns.Length];
        _quoted = options.Quoting == CsvQuoting.Rfc4180;
    }

    /// <summary>Reads the header record.</summary>
    /// <param name="row">The first record that is not blank.</param>
    /// <param name="line">The line it starts on.</param>
    /// <param name="sourceName">The source, for messages.</param>
    /// <param name="quoted">Whether fields are quoted.</param>
    /// <returns>The header names.</returns>
    /// <exception cref="InvalidDataException">The header's quoting is malformed.</exception>
    public static string[] ReadHeader(SepReader.Row row, int line, string sourceName, bool quoted)
    {
        var headers = new string[row.ColCount];
        for (var i = 0; i < headers.Length; i++)
        {
            var raw = row[i].Span;
            if (!quoted)
            {
                headers[i] = raw.Trim().ToString();
                continue;
            }

            if (!CsvFieldText.TryUnquote(raw, trim: true, out var value, out var escaped))
            {
                throw new InvalidDataException($"{sourceName}: line {line}: header column {i + 1} has a quote out of place.");
            }

            headers[i] = escaped ? CsvFieldText.Unescape(value) : value.ToString();
        }

        return headers;
    }

    /// <summary>Rejects a record that passed <see cref="CsvLeadSourceOptions.MaxRecordLength"/>.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The rejected candidate.</returns>
    public static LeadCandidate Reject(OversizeRecord record) => Reject(record.Line, record.Reason);

    /// <summary>Maps one record.</summary>
    /// <param name="row">The record.</param>
    /// <param name="line">The line the record starts on.</param>
    /// <returns>The candidate, rejected or not.</returns>
    public LeadCandidate Map(SepReader.Row row, int line)
    {
        var columns = _map.Columns;
        if (row.ColCount != columns.Length)
        {
            return Reject(line, MalformedReason(row, line) ?? string.Create(CultureInfo.InvariantCulture, $"{row.ColCount} fields where the header has {columns.Length} columns"));
        }

        var trim = _options.TrimValues;
        var maxLength = _options.MaxFieldLength;
        for (var i = 0; i < columns.Length; i++)
        {
            var raw = row[i].Span;
            ReadOnlySpan<char> value;
            var escaped = false;
            if (_quoted)
            {
                if (!CsvFieldText.TryUnquote(raw, trim, out value, out escaped))
                {
                    return Reject(line, Malformed(row, i, line));
                }
            }
            else
            {
                value = trim ? raw.Trim() : raw;
            }

            if (value.Length > maxLength)
            {
                return Reject(line, string.Create(CultureInfo.InvariantCulture, $"column {IntakeText.Quote(columns[i].Header)} is {value.Length} characters long, over the limit of {maxLength} (MaxFieldLength)"));
            }

            var refused = IntakeText.IndexOfRefused(value);
            if (refused >= 0)
            {
                return Reject(line, value[refused] == '\uFFFD'
                    ? $"column {IntakeText.Quote(columns[i].Header)} holds bytes that are not valid {_encodingName} text (decoded as U+FFFD)"
                    : $"column {IntakeText.Quote(columns[i].Header)} contains a control character ({IntakeText.CodePoint(value[refused])})");
            }

            _values[i] = value.IsEmpty || columns[i].Field == LeadField.Ignore ? null : escaped ? CsvFieldText.Unescape(value) : value.ToString();
        }

        var candidate = new LeadCandidate { SourcePosition = SourcePositions.Format(line) };
        string? fullName = null;
        for (var i = 0; i < columns.Length; i++)
        {
            if (_values[i] is { } value)
            {
                Assign(candidate, columns[i], value, ref fullName);
            }
        }

        if (fullName is not null && candidate.FirstName is null && candidate.LastName is null)
        {
            var space = fullName.IndexOf(' ', StringComparison.Ordinal);
            candidate.FirstName = space < 0 ? fullName : fullName[..space];
            candidate.LastName = space < 0 ? null : fullName[(space + 1)..].TrimStart();
        }

        foreach (var (field, attribute, header) in _map.Required)
        {
            if (!HasValue(candidate, field, attribute))
            {
                return Reject(line, $"required column {IntakeText.Quote(header)} is empty");
            }
        }

        return candidate;
    }

    private static void Assign(LeadCandidate c, ColumnBinding column, string value, ref string? fullName)
    {
        switch (column.Field)
        {
            case LeadField.ExternalId: c.ExternalId ??= value; break;
            case LeadField.FirstName: c.FirstName ??= value; break;
            case LeadField.LastName: c.LastName ??= value; break;
            case LeadField.FullName: fullName ??= value; break;
            case LeadField.Email: c.Email ??= value; break;
            case LeadField.Title: c.Title ??= value; break;
            case LeadField.Phone: c.Phone ??= value; break;
            case LeadField.TimeZone: c.TimeZone ??= value; break;
            case LeadField.CompanyName: c.CompanyName ??= value; break;
            case LeadField.CompanyDomain: c.CompanyDomain ??= value; break;
            case LeadField.Industry: c.Industry ??= value; break;
            case LeadField.Country: c.Country ??= value; break;
            case LeadField.CompanySize:
                if (c.CompanySize is null && int.TryParse(value, NumberStyles.Integer | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var size) && size >= 0)
                {
                    c.CompanySize = size;
                }
                else
                {
                    SetAttribute(c, "company_size", value);
                }

                break;
            case LeadField.AnnualRevenue:
                if (c.AnnualRevenue is null && decimal.TryParse(value.TrimStart('$'), NumberStyles.Number, CultureInfo.InvariantCulture, out var revenue))
                {
                    c.AnnualRevenue = revenue;
                }
                else
                {
                    SetAttribute(c, "annual_revenue", value);
                }

                break;
            case LeadField.Attribute: SetAttribute(c, column.AttributeName!, value); break;
            default: break;
        }
    }

    private static void SetAttribute(LeadCandidate c, string name, string value) =>
        (c.Attributes ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase))[name] = value;

    private static bool HasValue(LeadCandidate c, LeadField field, string? attribute) => field switch
    {
        LeadField.ExternalId => c.ExternalId is not null,
        LeadField.FirstName => c.FirstName is not null,
        LeadField.LastName => c.LastName is not null,
        LeadField.FullName => c.FirstName is not null || c.LastName is not null,
        LeadField.Email => c.Email is not null,
        LeadField.Title => c.Title is not null,
        LeadField.Phone => c.Phone is not null,
        LeadField.TimeZone => c.TimeZone is not null,
        LeadField.CompanyName => c.CompanyName is not null,
        LeadField.CompanyDomain => c.CompanyDomain is not null,
        LeadField.Industry => c.Industry is not null,
        LeadField.CompanySize => c.CompanySize is not null || c.Attributes?.ContainsKey("company_size") == true,
        LeadField.Country => c.Country is not null,
        LeadField.AnnualRevenue => c.AnnualRevenue is not null || c.Attributes?.ContainsKey("annual_revenue") == true,
        LeadField.Attribute => c.Attributes?.ContainsKey(attribute!) == true,
        _ => true,
    };

    private string? MalformedReason(SepReader.Row row, int line)
    {
        if (!_quoted)
        {
            return null;
        }

        for (var i = 0; i < row.ColCount; i++)
        {
            if (!CsvFieldText.TryUnquote(row[i].Span, _options.TrimValues, out _, out _))
            {
                return Malformed(row, i, line);
            }
        }

        return null;
    }

    private string Malformed(SepReader.Row row, int column, int firstLine)
    {
        var name = column < _map.Columns.Length ? IntakeText.Quote(_map.Columns[column].Header) : string.Create(CultureInfo.InvariantCulture, $"{column + 1}");
        // Sep counts a final line break swallowed by an unclosed quote as one more line; count the breaks inside the record instead.
        var lastLine = firstLine + row.Span.TrimEnd("\r\n").Count('\n');
        var span = lastLine > firstLine
            ? string.Create(CultureInfo.InvariantCulture, $"; the record runs on to line {lastLine}, so an unclosed quote may have swallowed the lines after it")
            : string.Empty;
        return $"column {name} has a quote out of place (a stray quote, text after a closing quote, or an unclosed quoted field){span}";
    }

    private static LeadCandidate Reject(int line, string reason)
    {
        var position = SourcePositions.Format(line);
        return new LeadCandidate { SourcePosition = position, RejectionReason = position + ": " + reason };
    }
}
