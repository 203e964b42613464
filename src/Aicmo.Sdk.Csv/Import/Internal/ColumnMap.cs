using System.Globalization;

namespace Aicmo.Sdk.Csv.Import.Internal;

/// <summary>The columns of one file, resolved from its header and the options.</summary>
internal sealed class ColumnMap
{
    private ColumnMap(ColumnBinding[] columns, (LeadField Field, string? Attribute, string Header)[] required)
    {
        Columns = columns;
        Required = required;
    }

    /// <summary>Gets the binding of every header column, by index.</summary>
    public ColumnBinding[] Columns { get; }

    /// <summary>Gets the required targets with the header of the (first) column that feeds each.</summary>
    public (LeadField Field, string? Attribute, string Header)[] Required { get; }

    /// <summary>Resolves a target of <see cref="CsvLeadSourceOptions.Columns"/> or <see cref="CsvLeadSourceOptions.RequiredFields"/>.</summary>
    /// <param name="target">The target.</param>
    /// <param name="field">The field.</param>
    /// <param name="attribute">The attribute name, for <see cref="LeadField.Attribute"/>.</param>
    /// <returns>Whether the target is known.</returns>
    public static bool TryResolveTarget(string target, out LeadField field, out string? attribute)
    {
        attribute = null;
        if (target.StartsWith(LeadColumnTargets.AttributePrefix, StringComparison.OrdinalIgnoreCase))
        {
            attribute = target[LeadColumnTargets.AttributePrefix.Length..].Trim();
            field = LeadField.Attribute;
            return attribute.Length > 0;
        }

        return HeaderAliases.TryGetField(target, out field);
    }

    /// <summary>Builds the map for a header.</summary>
    /// <param name="headers">The header's names, unquoted.</param>
    /// <param name="options">The options.</param>
    /// <param name="sourceName">The source, for messages.</param>
    /// <returns>The map.</returns>
    /// <exception cref="InvalidDataException">The header is unusable (a refused character, a required field with no column).</exception>
    public static ColumnMap Build(IReadOnlyList<string> headers, CsvLeadSourceOptions options, string sourceName)
    {
        var byNormalizedKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, target) in options.Columns)
        {
            byNormalizedKey.TryAdd(HeaderAliases.Normalize(key), target);
        }

        var attributeNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var columns = new ColumnBinding[headers.Count];
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            var refused = IntakeText.IndexOfRefused(header);
            if (refused >= 0)
            {
                throw new InvalidDataException($"{sourceName}: header column {i + 1} ({IntakeText.Quote(header)}) contains a control character ({IntakeText.CodePoint(header[refused])}).");
            }

            if (header.Length == 0)
            {
                header = string.Create(CultureInfo.InvariantCulture, $"column {i + 1}");
            }

            LeadField field;
            string? attribute;
            if (options.Columns.TryGetValue(header, out var target) || byNormalizedKey.TryGetValue(HeaderAliases.Normalize(header), out target))
            {
                if (!TryResolveTarget(target, out field, out attribute))
                {
                    throw new InvalidDataException($"{sourceName}: CsvLeadSourceOptions.Columns maps {IntakeText.Quote(header)} to the unknown target \"{target}\".");
                }
            }
            else if (!HeaderAliases.TryGetField(header, out field))
            {
                field = options.KeepUnknownColumns ? LeadField.Attribute : LeadField.Ignore;
                attribute = null;
            }
            else
            {
                attribute = null;
            }

            if (field == LeadField.Attribute)
            {
                attribute ??= header;
                var unique = attribute;
                for (var n = 2; !attributeNames.Add(unique); n++)
                {
                    unique = string.Create(CultureInfo.InvariantCulture, $"{attribute}_{n}");
                }

                attribute = unique;
            }

            columns[i] = new ColumnBinding(header, field, attribute);
        }

        var required = new List<(LeadField, string?, string)>();
        foreach (var target in options.RequiredFields)
        {
            _ = TryResolveTarget(target, out var field, out var attribute);
            var column = Array.FindIndex(columns, c => c.Field == field && (field != LeadField.Attribute || string.Equals(c.AttributeName, attribute, StringComparison.OrdinalIgnoreCase)));
            if (column < 0)
            {
                throw new InvalidDataException($"{sourceName}: no column of the header maps to the required field \"{target}\" (CsvLeadSourceOptions.RequiredFields); the header is {string.Join(", ", columns.Select(c => IntakeText.Quote(c.Header)))}.");
            }

            required.Add((field, attribute, columns[column].Header));
        }

        return new ColumnMap(columns, [.. required]);
    }
}
