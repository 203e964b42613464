using System.Globalization;
using System.Text;
using Aicmo.Sdk.Csv.Import.Internal;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Csv.Import;

/// <summary>Validates <see cref="CsvLeadSourceOptions"/>; every failure names the option.</summary>
public sealed class CsvLeadSourceOptionsValidator : IValidateOptions<CsvLeadSourceOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CsvLeadSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Check(options, requirePath: true);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static List<string> Check(CsvLeadSourceOptions options, bool requirePath)
    {
        const string P = nameof(CsvLeadSourceOptions) + ".";
        var failures = new List<string>();
        if (requirePath && string.IsNullOrWhiteSpace(options.Path))
        {
            failures.Add($"{P}{nameof(options.Path)} is required.");
        }

        if (ResolveEncoding(options.Encoding) is null)
        {
            failures.Add($"{P}{nameof(options.Encoding)} \"{options.Encoding}\" is not an encoding this runtime knows.");
        }

        if (options.Delimiter is '"' or '\r' or '\n' || char.IsLetterOrDigit(options.Delimiter) || (char.IsControl(options.Delimiter) && options.Delimiter != '\t'))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{P}{nameof(options.Delimiter)} cannot be U+{(int)options.Delimiter:X4} (a quote, a line break, a control character other than tab, a letter or a digit)."));
        }

        if (!Enum.IsDefined(options.Quoting))
        {
            failures.Add($"{P}{nameof(options.Quoting)} must be Rfc4180 or None (was {options.Quoting}).");
        }

        if (options.MaxFieldLength is < 1 or > 100_000_000)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{P}{nameof(options.MaxFieldLength)} must be between 1 and 100000000 (was {options.MaxFieldLength})."));
        }

        if (options.MaxRecordLength is < 1024 or > 1_000_000_000)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{P}{nameof(options.MaxRecordLength)} must be between 1024 and 1000000000 (was {options.MaxRecordLength})."));
        }
        else if (options.MaxRecordLength < options.MaxFieldLength)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{P}{nameof(options.MaxRecordLength)} ({options.MaxRecordLength}) must be at least {nameof(options.MaxFieldLength)} ({options.MaxFieldLength}): a record holds its fields."));
        }

        foreach (var (column, target) in options.Columns)
        {
            if (string.IsNullOrWhiteSpace(target) || !ColumnMap.TryResolveTarget(target, out _, out _))
            {
                failures.Add($"{P}{nameof(options.Columns)}[\"{column}\"] maps to \"{target}\", which is not a lead field, \"ignore\" or \"attribute:name\".");
            }
        }

        foreach (var target in options.RequiredFields)
        {
            if (string.IsNullOrWhiteSpace(target) || !ColumnMap.TryResolveTarget(target, out var field, out _) || field == LeadField.Ignore)
            {
                failures.Add($"{P}{nameof(options.RequiredFields)} names \"{target}\", which is not a lead field or \"attribute:name\".");
            }
        }

        return failures;
    }

    internal static Encoding? ResolveEncoding(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        try
        {
            // The code-page provider is asked directly, so no process-wide registration is needed for windows-1252 and friends.
            return CodePagesEncodingProvider.Instance.GetEncoding(name) ?? Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
