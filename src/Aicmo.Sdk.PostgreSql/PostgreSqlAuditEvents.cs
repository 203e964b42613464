using Aicmo.Sdk.Domain;
using Npgsql;
using NpgsqlTypes;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>
/// The one way audit events reach <c>audit_events</c>: the insert's text and the binding of its <c>@e_*</c> column arrays, used
/// by the audit writer of <see cref="PostgreSqlDatabase"/> and by the lead writes that store a lead's events with it.
/// </summary>
internal static class PostgreSqlAuditEvents
{
    private const string InsertFromArrays = """
        INSERT INTO {s}.audit_events (lead_id, campaign_id, run_id, sequence, stage, from_status, to_status, reason, at)
        SELECT DISTINCT ON (u.lead_id, u.sequence) u.lead_id, u.campaign_id, u.run_id, u.sequence, u.stage, u.from_status, u.to_status, u.reason, u.at
        FROM unnest(@e_leads, @e_campaigns, @e_runs, @e_sequences, @e_stages, @e_froms, @e_tos, @e_reasons, @e_ats) WITH ORDINALITY
            AS u(lead_id, campaign_id, run_id, sequence, stage, from_status, to_status, reason, at, ord)
        """;

    // A lead's trail holds one event per sequence (a unique index): an event appended again for a sequence replaces the stored
    // one, the last appended of a batch winning, so a run that repeats a lead's step never leaves two copies of it.
    private const string LastOfEachSequenceWins = """
        ORDER BY u.lead_id, u.sequence, u.ord DESC
        ON CONFLICT (lead_id, sequence) DO UPDATE SET campaign_id = excluded.campaign_id, run_id = excluded.run_id, stage = excluded.stage,
            from_status = excluded.from_status, to_status = excluded.to_status, reason = excluded.reason, at = excluded.at
        """;

    /// <summary>Inserts the bound events (see <see cref="Bind"/>).</summary>
    public const string InsertSql = InsertFromArrays + "\n" + LastOfEachSequenceWins + ";";

    /// <summary>
    /// The insert as a data-modifying CTE's body, keeping only the events whose lead is among the ids of a CTE named
    /// <c>applied</c>: the events of a lost compare-and-set are never written.
    /// </summary>
    public const string InsertOfAppliedLeadsSql = InsertFromArrays + "\nWHERE u.lead_id IN (SELECT id FROM applied)\n" + LastOfEachSequenceWins;

    /// <summary>Binds the <c>@e_*</c> arrays of the events, in order.</summary>
    public static void Bind(NpgsqlCommand command, ReadOnlySpan<AuditEvent> auditEvents)
    {
        var n = auditEvents.Length;
        var leads = new Guid[n];
        var campaigns = new string[n];
        var runs = new Guid[n];
        var sequences = new long[n];
        var stages = new string[n];
        var froms = new string?[n];
        var tos = new string[n];
        var reasons = new string[n];
        var ats = new DateTimeOffset[n];
        for (var i = 0; i < n; i++)
        {
            var e = auditEvents[i];
            leads[i] = e.LeadId;
            campaigns[i] = e.CampaignId;
            runs[i] = e.RunId;
            sequences[i] = e.Sequence;
            stages[i] = e.Stage;
            froms[i] = e.From?.ToString();
            tos[i] = e.To.ToString();
            reasons[i] = e.Reason;
            ats[i] = e.Timestamp.ToUniversalTime();
        }

        command.WithArray("e_leads", NpgsqlDbType.Uuid, leads).WithArray("e_campaigns", NpgsqlDbType.Text, campaigns)
            .WithArray("e_runs", NpgsqlDbType.Uuid, runs).WithArray("e_sequences", NpgsqlDbType.Bigint, sequences)
            .WithArray("e_stages", NpgsqlDbType.Text, stages).WithArray("e_froms", NpgsqlDbType.Text, froms)
            .WithArray("e_tos", NpgsqlDbType.Text, tos).WithArray("e_reasons", NpgsqlDbType.Text, reasons)
            .WithArray("e_ats", NpgsqlDbType.TimestampTz, ats);
    }
}
