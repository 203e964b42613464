using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Npgsql;
using NpgsqlTypes;
using static Aicmo.Sdk.PostgreSql.PostgreSqlValues;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>The writes of a lead's change together with its audit events, each one statement in one transaction.</summary>
internal sealed partial class PostgreSqlLeadRepository
{
    // The batch update of UpdateLeadsSql with the events of the leads it applied in the same statement: a data-modifying CTE
    // inserts only the events whose lead is among the rows updated, so the events of a lost compare-and-set are never written,
    // and the statement (in its transaction) stores the leads and their events together or not at all. One event per
    // (lead, sequence), the last of the batch winning, as in the audit writer.
    private const string UpdateLeadsWithEventsSql = """
        WITH input AS (
            SELECT * FROM unnest(@ids, @expected, @campaigns, @keys, @statuses, @versions, @runs, @updated, @data)
                AS t(id, expected, campaign_id, identity_key, status, version, run_id, updated_at, data)
        ), applied AS (
            UPDATE {s}.leads AS l
            SET status = i.status, version = i.version, run_id = i.run_id, updated_at = i.updated_at, data = i.data
            FROM input AS i
            WHERE l.id = ANY(@ids) AND l.id = i.id AND l.version = i.expected AND l.campaign_id = i.campaign_id AND l.identity_key = i.identity_key
            RETURNING l.id
        ), events AS (
            INSERT INTO {s}.audit_events (lead_id, campaign_id, run_id, sequence, stage, from_status, to_status, reason, at)
            SELECT DISTINCT ON (u.lead_id, u.sequence) u.lead_id, u.campaign_id, u.run_id, u.sequence, u.stage, u.from_status, u.to_status, u.reason, u.at
            FROM unnest(@e_leads, @e_campaigns, @e_runs, @e_sequences, @e_stages, @e_froms, @e_tos, @e_reasons, @e_ats) WITH ORDINALITY
                AS u(lead_id, campaign_id, run_id, sequence, stage, from_status, to_status, reason, at, ord)
            WHERE u.lead_id IN (SELECT id FROM applied)
            ORDER BY u.lead_id, u.sequence, u.ord DESC
            ON CONFLICT (lead_id, sequence) DO UPDATE SET campaign_id = excluded.campaign_id, run_id = excluded.run_id, stage = excluded.stage,
                from_status = excluded.from_status, to_status = excluded.to_status, reason = excluded.reason, at = excluded.at
        )
        SELECT id, true FROM applied
        UNION ALL
        SELECT l.id, false FROM input AS i JOIN {s}.leads AS l ON l.id = i.id
        WHERE l.id = ANY(@ids) AND (l.campaign_id <> i.campaign_id OR l.identity_key <> i.identity_key);
        """;

    private const string EraseSql = """
        UPDATE {s}.leads SET identity_key = @key, status = @status, version = @version, updated_at = @updated, data = @data
        WHERE id = @id AND version = @expected;
        """;

    private const string InsertEventsSql = """
        INSERT INTO {s}.audit_events (lead_id, campaign_id, run_id, sequence, stage, from_status, to_status, reason, at)
        SELECT DISTINCT ON (u.lead_id, u.sequence) u.lead_id, u.campaign_id, u.run_id, u.sequence, u.stage, u.from_status, u.to_status, u.reason, u.at
        FROM unnest(@e_leads, @e_campaigns, @e_runs, @e_sequences, @e_stages, @e_froms, @e_tos, @e_reasons, @e_ats) WITH ORDINALITY
            AS u(lead_id, campaign_id, run_id, sequence, stage, from_status, to_status, reason, at, ord)
        ORDER BY u.lead_id, u.sequence, u.ord DESC
        ON CONFLICT (lead_id, sequence) DO UPDATE SET campaign_id = excluded.campaign_id, run_id = excluded.run_id, stage = excluded.stage,
            from_status = excluded.from_status, to_status = excluded.to_status, reason = excluded.reason, at = excluded.at;
        """;

    public ValueTask UpdateManyWithEventsAsync(
        ReadOnlyMemory<LeadUpdate> updates, ReadOnlyMemory<AuditEvent> auditEvents, Memory<bool> updated, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(updated.Length, updates.Length, nameof(updated));
        LeadEventOwners.Of(updates, auditEvents);
        return UpdateBatchAsync(updates, auditEvents.ToArray(), updated, cancellationToken);
    }

    // A single lead's write (a nurture pass, a stop) goes through a coalescer like a single update: the writes queued meanwhile by
    // concurrent callers become one statement, run in autocommit, which is atomic on its own.
    public async ValueTask<bool> UpdateWithEventsAsync(Lead lead, long expectedVersion, ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var update = new LeadUpdate(lead, expectedVersion);
        LeadEventOwners.Of(new[] { update }, auditEvents);
        await _database.WaitForAuditsAsync(lead.Id).ConfigureAwait(false);
        await _database.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return await _writes.RunAsync(new LeadWrite(update, auditEvents.ToArray())).ConfigureAwait(false) switch
        {
            UpdateOutcome.Applied => true,
            UpdateOutcome.KeyChanged => throw new InvalidOperationException("The campaign and identity key of a stored lead cannot change."),
            _ => false,
        };
    }

    private async Task<UpdateOutcome[]> WriteGroupAsync(List<LeadWrite> writes)
    {
        // A lead written twice in the group: the later writes run on their own, after the statement, each its own compare-and-set.
        var n = writes.Count;
        var index = new Dictionary<Guid, int>(n);
        var again = new List<int>();
        for (var i = 0; i < n; i++)
        {
            if (!index.TryAdd(writes[i].Update.Lead.Id, i))
            {
                again.Add(i);
            }
        }

        var firsts = index.Values.Order().ToArray();
        var results = new UpdateOutcome[n];
        await using (var connection = await _database.OpenAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var events = firsts.SelectMany(i => writes[i].Events).ToArray();
            await ExecuteUpdatesAsync(firsts.Select(i => writes[i].Update).ToArray(), index, results, connection, null, CancellationToken.None, events)
                .ConfigureAwait(false);
        }

        foreach (var i in again)
        {
            results[i] = await WriteAloneAsync(writes[i]).ConfigureAwait(false);
        }

        return results;
    }

    private async Task<UpdateOutcome> WriteAloneAsync(LeadWrite write)
    {
        var results = new UpdateOutcome[1];
        var index = new Dictionary<Guid, int>(1) { [write.Update.Lead.Id] = 0 };
        await using var connection = await _database.OpenAsync(CancellationToken.None).ConfigureAwait(false);
        await ExecuteUpdatesAsync([write.Update], index, results, connection, null, CancellationToken.None, write.Events).ConfigureAwait(false);
        return results[0];
    }

    private readonly record struct LeadWrite(LeadUpdate Update, AuditEvent[] Events);

    public async ValueTask<bool> EraseWithEventsAsync(Lead anonymized, long expectedVersion, ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anonymized);
        ArgumentException.ThrowIfNullOrEmpty(anonymized.IdentityKey, nameof(anonymized));
        LeadEventOwners.Of(new[] { new LeadUpdate(anonymized, expectedVersion) }, auditEvents);
        await _database.WaitForAuditsAsync(anonymized.Id).ConfigureAwait(false);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var erase = new NpgsqlCommand(_database.Sql(EraseSql), connection, transaction))
        {
            BindErase(erase, anonymized, expectedVersion);
            if (await erase.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                return false;
            }
        }

        if (!auditEvents.IsEmpty)
        {
            await using var insert = new NpgsqlCommand(_database.Sql(InsertEventsSql), connection, transaction);
            BindEvents(insert, auditEvents.Span);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static NpgsqlCommand BindErase(NpgsqlCommand command, Lead anonymized, long expectedVersion) =>
        command.With("id", anonymized.Id).With("expected", expectedVersion).WithText("key", anonymized.IdentityKey)
            .WithText("status", anonymized.Status.ToString()).With("version", anonymized.Version).With("updated", anonymized.UpdatedAt)
            .WithJson("data", StoreJson.Serialize(anonymized));

    /// <summary>Binds the <c>@e_*</c> arrays of the events, in order.</summary>
    private static void BindEvents(NpgsqlCommand command, ReadOnlySpan<AuditEvent> auditEvents)
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
