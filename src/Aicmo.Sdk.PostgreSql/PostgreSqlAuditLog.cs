using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Npgsql;
using NpgsqlTypes;
using static Aicmo.Sdk.PostgreSql.PostgreSqlValues;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>The audit trail in <c>audit_events</c>; appends are batched by <see cref="PostgreSqlDatabase"/>.</summary>
internal sealed class PostgreSqlAuditLog(PostgreSqlDatabase database) : IAuditLog
{
    public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        return database.AppendAuditAsync(auditEvent, cancellationToken);
    }

    public ValueTask AppendManyAsync(ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken = default)
    {
        foreach (var auditEvent in auditEvents.Span)
        {
            if (auditEvent is null)
            {
                throw new ArgumentException("An event of the batch is null.", nameof(auditEvents));
            }
        }

        return auditEvents.IsEmpty ? ValueTask.CompletedTask : database.AppendAuditsAsync(auditEvents, cancellationToken);
    }

    public async ValueTask<int> RedactAsync(Guid leadId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reason);

        // Events queued before the call are written first, so the redaction covers them too.
        await database.FlushAuditsAsync().ConfigureAwait(false);
        await using var command = await database.CommandAsync("UPDATE {s}.audit_events SET reason = @reason WHERE lead_id = @lead AND stage <> @erasure;", cancellationToken).ConfigureAwait(false);
        command.With("lead", leadId).WithText("reason", reason).WithText("erasure", LeadEraser.Stage);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // One chunk of a prune (see SqliteAuditLog): both look-ups of a trail's last event go through the unique index.
    private const string PruneChunkSql = """
        DELETE FROM {s}.audit_events WHERE id IN (
            SELECT e.id FROM {s}.audit_events AS e
            WHERE e.at < @before
              AND e.sequence < (SELECT max(x.sequence) FROM {s}.audit_events AS x WHERE x.lead_id = e.lead_id)
              AND (SELECT l.to_status FROM {s}.audit_events AS l WHERE l.lead_id = e.lead_id ORDER BY l.sequence DESC LIMIT 1) = ANY(@states)
            LIMIT @chunk);
        """;

    private const int PruneChunk = 5000;

    public async ValueTask<long> PruneAsync(DateTimeOffset olderThan, IReadOnlyCollection<LeadStatus> states, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(states);
        var names = states.Select(s => s.ToString()).ToArray();
        await database.FlushAuditsAsync().ConfigureAwait(false);
        long deleted = 0;
        while (true)
        {
            // A chunk per statement: each commits on its own, so no transaction holds many row locks for long.
            await using var command = await database.CommandAsync(PruneChunkSql, cancellationToken).ConfigureAwait(false);
            command.With("before", olderThan.ToUniversalTime()).WithArray("states", NpgsqlDbType.Text, names).With("chunk", PruneChunk);
            var n = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            deleted += n;
            if (n < PruneChunk)
            {
                return deleted;
            }
        }
    }

    public async ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(Guid leadId, CancellationToken cancellationToken = default)
    {
        // Events appended before this call may still be queued: write them first, so a reader sees every event appended.
        await database.FlushAuditsAsync().ConfigureAwait(false);
        await using var command = await database.CommandAsync(
            """
            SELECT lead_id, campaign_id, run_id, sequence, stage, from_status, to_status, reason, at
            FROM {s}.audit_events WHERE lead_id = @lead ORDER BY sequence, id;
            """,
            cancellationToken).ConfigureAwait(false);
        command.With("lead", leadId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<AuditEvent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new AuditEvent(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetGuid(2),
                reader.GetInt64(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : Enum<LeadStatus>(reader.GetString(5)),
                Enum<LeadStatus>(reader.GetString(6)),
                reader.GetString(7),
                reader.Instant(8)));
        }

        return list;
    }
}
