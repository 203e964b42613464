using System.Text.Encodings.Web;
using System.Text.Json;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Csv.Export;

/// <summary>
/// Writes leads as JSON Lines (one JSON object per line) as they stream in: every field, attribute and provenance entry,
/// the score with its components, the qualification with its reasons, routing, nurture state and fault.
/// </summary>
/// <remarks>Values are written raw (JSON escaping only): JSON Lines is for programs, and no formula neutralization applies.</remarks>
public static class LeadJsonLinesExporter
{
    private const int FlushThreshold = 1 << 15;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Non-ASCII text stays readable; quotes, backslashes and control characters are still escaped, so each line stays one line.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    /// <summary>Writes every lead of <paramref name="leads"/> as one line of JSON.</summary>
    /// <param name="leads">The leads, for example <see cref="LeadPages.ReadAllAsync"/>.</param>
    /// <param name="destination">The stream to write to; left open.</param>
    /// <param name="cancellationToken">A token to stop writing.</param>
    /// <returns>How many leads were written.</returns>
    public static async Task<long> WriteAsync(IAsyncEnumerable<Lead> leads, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(destination);
        var buffer = new MemoryStream(FlushThreshold * 2);
        await using (buffer.ConfigureAwait(false))
        {
            using var json = new Utf8JsonWriter(buffer, WriterOptions);
            long written = 0;
            await foreach (var lead in leads.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                WriteLead(json, lead);
                json.Flush();
                json.Reset();
                buffer.WriteByte((byte)'\n');
                written++;
                if (buffer.Length >= FlushThreshold)
                {
                    await DrainAsync(buffer, destination, cancellationToken).ConfigureAwait(false);
                }
            }

            await DrainAsync(buffer, destination, cancellationToken).ConfigureAwait(false);
            await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
            return written;
        }
    }

    private static async Task DrainAsync(MemoryStream buffer, Stream destination, CancellationToken cancellationToken)
    {
        await destination.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
        buffer.SetLength(0);
    }

    private static void WriteLead(Utf8JsonWriter w, Lead lead)
    {
        w.WriteStartObject();
        w.WriteString("id", lead.Id);
        w.WriteString("campaignId", lead.CampaignId);
        w.WriteString("source", lead.Source);
        WriteOptional(w, "externalId", lead.ExternalId);
        w.WriteString("status", lead.Status.ToString());
        WriteOptional(w, "firstName", lead.FirstName);
        WriteOptional(w, "lastName", lead.LastName);
        WriteOptional(w, "email", lead.Email);
        WriteOptional(w, "title", lead.Title);
        WriteOptional(w, "phone", lead.Phone);
        WriteOptional(w, "timeZone", lead.TimeZone);
        WriteOptional(w, "companyName", lead.CompanyName);
        WriteOptional(w, "companyDomain", lead.CompanyDomain);
        WriteOptional(w, "industry", lead.Industry);
        if (lead.CompanySize is { } size)
        {
            w.WriteNumber("companySize", size);
        }

        WriteOptional(w, "country", lead.Country);
        if (lead.AnnualRevenue is { } revenue)
        {
            w.WriteNumber("annualRevenue", revenue);
        }

        if (lead.HasAttributes)
        {
            w.WriteStartObject("attributes");
            foreach (var (key, value) in lead.Attributes)
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
        }

        if (lead.HasProvenance)
        {
            w.WriteStartObject("provenance");
            foreach (var (field, p) in lead.Provenance)
            {
                w.WriteStartObject(field);
                w.WriteString("provider", p.Provider);
                w.WriteString("at", p.At);
                w.WriteNumber("confidence", p.Confidence);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        if (lead.Score is { } score)
        {
            w.WriteStartObject("score");
            w.WriteNumber("value", score.Value);
            w.WriteString("grade", score.Grade);
            w.WriteStartArray("components");
            foreach (var c in score.Components)
            {
                w.WriteStartObject();
                w.WriteString("signal", c.Signal);
                w.WriteNumber("weight", c.Weight);
                w.WriteNumber("rawValue", c.RawValue);
                w.WriteNumber("contribution", c.Contribution);
                w.WriteString("reason", c.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        if (lead.Qualification is { } q)
        {
            w.WriteStartObject("qualification");
            w.WriteString("verdict", q.Verdict.ToString());
            w.WriteStartArray("reasons");
            foreach (var reason in q.Reasons)
            {
                w.WriteStringValue(reason);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        if (lead.Routing is { } r)
        {
            w.WriteStartObject("routing");
            w.WriteString("team", r.Team);
            WriteOptional(w, "owner", r.Owner);
            w.WriteString("sequence", r.Sequence);
            w.WriteString("rule", r.Rule);
            w.WriteString("reason", r.Reason);
            w.WriteEndObject();
        }

        if (lead.Nurture is { } n)
        {
            w.WriteStartObject("nurture");
            w.WriteString("sequence", n.Sequence);
            w.WriteNumber("lastStep", n.LastStep);
            w.WriteString("outcome", n.Outcome.ToString());
            w.WriteString("reason", n.Reason);
            w.WriteEndObject();
        }

        if (lead.Fault is { } f)
        {
            w.WriteStartObject("fault");
            w.WriteString("stage", f.Stage);
            w.WriteString("errorType", f.ErrorType);
            w.WriteString("message", f.Message);
            w.WriteNumber("attempts", f.Attempts);
            w.WriteEndObject();
        }

        w.WriteString("consent", lead.Consent.ToString());
        w.WriteString("createdAt", lead.CreatedAt);
        w.WriteString("updatedAt", lead.UpdatedAt);
        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
