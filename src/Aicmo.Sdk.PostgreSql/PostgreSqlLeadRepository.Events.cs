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
        """ + PostgreSqlAuditEvents.InsertOfAppliedLeadsSql + """
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

    private async Task<UpdateOutcome> WriteAloneAsync(LeadWrite write)
    {
        var results = new UpdateOutcome[1];
        var index = new Dictionary<Guid, int>(1) { [write.Update.Lead.Id] = 0 };
        await using var connection = await _database.OpenAsync(CancellationToken.None).ConfigureAwait(false);
        await ExecuteUpdatesAsync([write.Update], index, results, connection, null, CancellationToken.None, write.Events).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>One coalesced write: the update, with the events stored with it (<see langword="null"/> for a plain update).</summary>
    private readonly record struct LeadWrite(LeadUpdate Update, AuditEvent[]? Events);

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
            await using var insert = new NpgsqlCommand(_database.Sql(PostgreSqlAuditEvents.InsertSql), connection, transaction);
            PostgreSqlAuditEvents.Bind(insert, auditEvents.Span);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static NpgsqlCommand BindErase(NpgsqlCommand command, Lead anonymized, long expectedVersion) =>
        command.With("id", anonymized.Id).With("expected", expectedVersion).WithText("key", anonymized.IdentityKey)
            .WithText("status", anonymized.Status.ToString()).With("version", anonymized.Version).With("updated", anonymized.UpdatedAt)
            .WithJson("data", StoreJson.Serialize(anonymized));
}
