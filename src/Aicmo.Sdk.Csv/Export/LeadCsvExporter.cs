using System.Text;
using Aicmo.Sdk.Csv.Export.Internal;
using Aicmo.Sdk.Domain;
using nietras.SeparatedValues;

namespace Aicmo.Sdk.Csv.Export;

/// <summary>
/// Writes leads to CSV as they stream in: identity, person, company, outcome (status), score with its components,
/// qualification with its reasons, routing (team, owner, sequence), fault and consent, then the chosen attributes.
/// </summary>
/// <remarks>
/// Text cells that a spreadsheet would run as a formula are neutralized unless <see cref="LeadExportOptions.NeutralizeFormulas"/>
/// is off. The headers are ones <see cref="Import.CsvLeadSource"/> recognizes, so an export reads back in (the outcome
/// columns come back as attributes). Writes to the stream are asynchronous, so a response body is a valid destination.
/// </remarks>
public static class LeadCsvExporter
{
    private const int FlushThreshold = 1 << 15;

    /// <summary>Writes every lead of <paramref name="leads"/> as one CSV row, after a header row (written even when there are no leads).</summary>
    /// <param name="leads">The leads, for example <see cref="LeadPages.ReadAllAsync"/>.</param>
    /// <param name="destination">The stream to write to; left open.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">A token to stop writing.</param>
    /// <returns>How many leads were written.</returns>
    public static async Task<long> WriteAsync(IAsyncEnumerable<Lead> leads, Stream destination, LeadExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(destination);
        options ??= new LeadExportOptions();
        var columns = ExportColumns.All;
        var attributes = options.AttributeColumns.ToArray();
        var neutralize = options.NeutralizeFormulas;

        var output = new StreamWriter(destination, new UTF8Encoding(options.ByteOrderMark), 1 << 16, leaveOpen: true);
        await using (output.ConfigureAwait(false))
        {
            // Sep formats and escapes each row into a buffer, and the buffer goes to the stream with asynchronous writes.
            var buffer = new StringWriter(new StringBuilder(FlushThreshold * 2), System.Globalization.CultureInfo.InvariantCulture);
            using var csv = Sep.New(options.Delimiter).Writer(o => o with { Escape = true }).To(buffer, leaveOpen: true);
            csv.Header.Add([.. columns.Select(c => c.Name), .. attributes]);
            csv.Header.Write();
            long written = 0;
            await foreach (var lead in leads.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                WriteRow(csv, lead, columns, attributes, neutralize);
                written++;
                if (buffer.GetStringBuilder().Length >= FlushThreshold)
                {
                    await DrainAsync(csv, buffer, output, cancellationToken).ConfigureAwait(false);
                }
            }

            await DrainAsync(csv, buffer, output, cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return written;
        }
    }

    private static void WriteRow(SepWriter csv, Lead lead, IReadOnlyList<ExportColumn> columns, string[] attributes, bool neutralize)
    {
        using var row = csv.NewRow();
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            var value = column.Value(lead) ?? string.Empty;
            row[i].Set(neutralize && column.IsText ? FormulaNeutralizer.Neutralize(value) : value);
        }

        for (var i = 0; i < attributes.Length; i++)
        {
            var value = lead.HasAttributes && lead.Attributes.TryGetValue(attributes[i], out var v) ? v : string.Empty;
            row[columns.Count + i].Set(neutralize ? FormulaNeutralizer.Neutralize(value) : value);
        }
    }

    private static async Task DrainAsync(SepWriter csv, StringWriter buffer, StreamWriter output, CancellationToken cancellationToken)
    {
        csv.Flush();
        var text = buffer.GetStringBuilder();
        await output.WriteAsync(text, cancellationToken).ConfigureAwait(false);
        text.Clear();
    }
}
