using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Npgsql;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>Leads added together with their creation events, in one statement (or one transaction when an id is taken).</summary>
internal sealed partial class PostgreSqlLeadRepository
{
    // The batch insert of InsertLeadsSql with the events of the leads it stored in the same statement: a data-modifying CTE
    // inserts only the events whose lead is among the rows inserted, so a duplicate's events are never written, and the statement
    // stores the leads and their events together or not at all.
    private const string InsertLeadsWithEventsSql = """
        WITH applied AS (
            INSERT INTO {s}.leads (id, campaign_id, identity_key, status, version, run_id, created_at, updated_at, data)
            SELECT * FROM unnest(@ids, @campaigns, @keys, @statuses, @versions, @runs, @created, @updated, @data)
                AS t(id, campaign_id, identity_key, status, version, run_id, created_at, updated_at, data)
            ORDER BY campaign_id, identity_key
            ON CONFLICT (campaign_id, identity_key) DO NOTHING
            RETURNING id
        ), events AS (
        """ + PostgreSqlAuditEvents.InsertOfAppliedLeadsSql + """

        )
        SELECT id FROM applied;
        """;

    public ValueTask TryAddManyWithEventsAsync(
        ReadOnlyMemory<Lead> leads, ReadOnlyMemory<AuditEvent> auditEvents, Memory<bool> added, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(added.Length, leads.Length, nameof(added));
        LeadEventOwners.Of(leads, auditEvents);
        return AddManyAsync(leads, auditEvents.ToArray(), added, cancellationToken);
    }

    /// <summary>Inserts, inside the caller's transaction, the events of the leads in <paramref name="stored"/>.</summary>
    private async Task InsertEventsOfAsync(
        HashSet<Guid> stored, AuditEvent[]? events, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var kept = events?.Where(e => stored.Contains(e.LeadId)).ToArray();
        if (kept is not { Length: > 0 })
        {
            return;
        }

        await using var insert = new NpgsqlCommand(_database.Sql(PostgreSqlAuditEvents.InsertSql), connection, transaction);
        PostgreSqlAuditEvents.Bind(insert, kept);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
