using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Storage.Sql;

/// <summary>
/// The JSON documents the SQL stores keep a lead and a run record in. Indexed columns are copies of a few fields; the document
/// is the source of truth, so a new field on <see cref="Lead"/> needs no schema migration.
/// </summary>
/// <remarks>Compiled into each SQL store package (linked source), so both write the same document shape.</remarks>
internal static class StoreJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        // Control characters are still escaped; the relaxed encoder only keeps non-ASCII text readable in the database.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    [ThreadStatic]
    private static Utf8Buffer? t_buffer;

    public static string Serialize(Lead lead) => JsonSerializer.Serialize(LeadDocument.From(lead), Options);

    /// <summary>
    /// Serializes a lead to the same document as <see cref="Serialize(Lead)"/>, as UTF-8 in an array rented from
    /// <see cref="ArrayPool{T}.Shared"/> (the caller gives it back with <see cref="PooledUtf8.Return"/>, or lets it go).
    /// </summary>
    public static PooledUtf8 SerializeToPooledUtf8(Lead lead)
    {
        var buffer = t_buffer ??= new Utf8Buffer();
        buffer.Output.ResetWrittenCount();
        buffer.Writer.Reset(buffer.Output);
        // The generated serializer writes the same document as the reflection-based one (same options), with no reflection.
        JsonSerializer.Serialize(buffer.Writer, LeadDocument.From(lead), StoreJsonContext.Default.LeadDocument);
        buffer.Writer.Flush();
        var written = buffer.Output.WrittenSpan;
        var array = ArrayPool<byte>.Shared.Rent(written.Length);
        written.CopyTo(array);
        if (buffer.Output.Capacity > 1 << 20)
        {
            // A huge lead: do not keep its buffer for the rest of the thread's life.
            t_buffer = null;
        }

        return new PooledUtf8(array, written.Length);
    }

    /// <summary>Reads a lead from its document's UTF-8 bytes.</summary>
    public static Lead DeserializeLead(ReadOnlySpan<byte> utf8) =>
        (JsonSerializer.Deserialize<LeadDocument>(utf8, Options) ?? throw new InvalidOperationException("A stored lead document is empty.")).ToLead();

    public static Lead DeserializeLead(string json) =>
        (JsonSerializer.Deserialize<LeadDocument>(json, Options) ?? throw new InvalidOperationException("A stored lead document is empty.")).ToLead();

    public static string Serialize(RunRecord run) => JsonSerializer.Serialize(run, Options);

    public static RunRecord DeserializeRun(string json) =>
        JsonSerializer.Deserialize<RunRecord>(json, Options) ?? throw new InvalidOperationException("A stored run document is empty.");

    /// <summary>A document's UTF-8 bytes in a rented array.</summary>
    /// <param name="Array">The rented array.</param>
    /// <param name="Length">How many of its bytes the document fills.</param>
    public readonly record struct PooledUtf8(byte[] Array, int Length)
    {
        public ReadOnlySpan<byte> Span => Array.AsSpan(0, Length);

        public void Return() => ArrayPool<byte>.Shared.Return(Array);
    }

    private sealed class Utf8Buffer
    {
        public ArrayBufferWriter<byte> Output { get; } = new(4096);

        public Utf8JsonWriter Writer { get; } = new(Stream.Null, new JsonWriterOptions { Encoder = Options.Encoder, SkipValidation = true });
    }

    /// <summary>The stored shape of a lead.</summary>
    internal sealed class LeadDocument
    {
        public Guid Id { get; set; }

        public string CampaignId { get; set; } = string.Empty;

        public string IdentityKey { get; set; } = string.Empty;

        public string Source { get; set; } = string.Empty;

        public string? ExternalId { get; set; }

        public Guid RunId { get; set; }

        public string? FirstName { get; set; }

        public string? LastName { get; set; }

        public string? Email { get; set; }

        public string? Title { get; set; }

        public string? Phone { get; set; }

        public string? TimeZone { get; set; }

        public string? CompanyName { get; set; }

        public string? CompanyDomain { get; set; }

        public string? Industry { get; set; }

        public int? CompanySize { get; set; }

        public string? Country { get; set; }

        public decimal? AnnualRevenue { get; set; }

        public Dictionary<string, string>? Attributes { get; set; }

        public Dictionary<string, FieldProvenance>? Provenance { get; set; }

        public LeadScore? Score { get; set; }

        public QualificationDecision? Qualification { get; set; }

        public RoutingDecision? Routing { get; set; }

        public NurtureState? Nurture { get; set; }

        public ConsentState Consent { get; set; }

        public LeadFault? Fault { get; set; }

        public LeadStatus Status { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        public long Version { get; set; }

        public static LeadDocument From(Lead l) => new()
        {
            Id = l.Id,
            CampaignId = l.CampaignId,
            IdentityKey = l.IdentityKey,
            Source = l.Source,
            ExternalId = l.ExternalId,
            RunId = l.RunId,
            FirstName = l.FirstName,
            LastName = l.LastName,
            Email = l.Email,
            Title = l.Title,
            Phone = l.Phone,
            TimeZone = l.TimeZone,
            CompanyName = l.CompanyName,
            CompanyDomain = l.CompanyDomain,
            Industry = l.Industry,
            CompanySize = l.CompanySize,
            Country = l.Country,
            AnnualRevenue = l.AnnualRevenue,
            Attributes = l.HasAttributes ? new Dictionary<string, string>(l.Attributes, StringComparer.Ordinal) : null,
            Provenance = l.HasProvenance ? new Dictionary<string, FieldProvenance>(l.Provenance, StringComparer.Ordinal) : null,
            Score = l.Score,
            Qualification = l.Qualification,
            Routing = l.Routing,
            Nurture = l.Nurture,
            Consent = l.Consent,
            Fault = l.Fault,
            Status = l.Status,
            CreatedAt = l.CreatedAt,
            UpdatedAt = l.UpdatedAt,
            Version = l.Version,
        };

        public Lead ToLead()
        {
            var lead = new Lead
            {
                Id = Id,
                CampaignId = CampaignId,
                IdentityKey = IdentityKey,
                Source = Source,
                ExternalId = ExternalId,
                RunId = RunId,
                FirstName = FirstName,
                LastName = LastName,
                Email = Email,
                Title = Title,
                Phone = Phone,
                TimeZone = TimeZone,
                CompanyName = CompanyName,
                CompanyDomain = CompanyDomain,
                Industry = Industry,
                CompanySize = CompanySize,
                Country = Country,
                AnnualRevenue = AnnualRevenue,
                Score = Score,
                Qualification = Qualification,
                Routing = Routing,
                Nurture = Nurture,
                Consent = Consent,
                Fault = Fault,
                Status = Status,
                CreatedAt = CreatedAt,
                UpdatedAt = UpdatedAt,
                Version = Version,
            };
            if (Attributes is not null)
            {
                foreach (var pair in Attributes)
                {
                    lead.Attributes[pair.Key] = pair.Value;
                }
            }

            if (Provenance is not null)
            {
                foreach (var pair in Provenance)
                {
                    lead.Provenance[pair.Key] = pair.Value;
                }
            }

            return lead;
        }
    }
}
