using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Microsoft.Data.Sqlite;
using static Aicmo.Sdk.Sqlite.SqliteValues;

namespace Aicmo.Sdk.Sqlite;

/// <summary>
/// The audit trail in <c>aicmo_audit_events</c>, one row per event, read per lead in sequence order. A lead's trail holds one event
/// per sequence (a unique index): an event appended again for a sequence replaces the stored one.
/// </summary>
internal sealed class SqliteAuditLog(SqliteDatabase database) : IAuditLog
{
    private const string InsertSql = """
        INSERT INTO aicmo_audit_events (lead_id, campaign_id, run_id, sequence, stage, from_status, to_status, reason, at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        ON CONFLICT (lead_id, sequence) DO UPDATE SET campaign_id = excluded.campaign_id, run_id = excluded.run_id, stage = excluded.stage,
            from_status = excluded.from_status, to_status = excluded.to_status, reason = excluded.reason, at = excluded.at;
        """;

    public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var e = auditEvent;

        // Not waited for: the event is committed with the next batch, before any write queued after it, so before the write
        // that stores the lead's new state. Should it fail, that write fails with it (see SqliteDatabase.DeferAsync).
        return database.DeferAsync(e.LeadId, w => Insert(w, e), cancellationToken);
    }

    public ValueTask AppendManyAsync(ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken = default)
    {
        if (auditEvents.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        // Copied: the caller may reuse its buffer as soon as the call returns, and the write runs later.
        var events = auditEvents.ToArray();
        var leadIds = new Guid[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            leadIds[i] = (events[i] ?? throw new ArgumentException("An event is null.", nameof(auditEvents))).LeadId;
        }

        // Deferred like AppendAsync, as one atomic write: the events are stored in order, all or none; should they fail, the
        // next write of each of their leads fails with the error.
        return database.DeferManyAsync(
            leadIds,
            w =>
            {
                foreach (var e in events)
                {
                    Insert(w, e);
                }
            },
            cancellationToken);
    }

    /// <summary>Stores one event inside the caller's write (replacing the lead's event with the same sequence).</summary>
    internal static void Insert(WriteContext w, AuditEvent e) =>
        w.Statement(InsertSql)
            .Bind(1, e.LeadId).Bind(2, e.CampaignId).Bind(3, e.RunId).Bind(4, e.Sequence).Bind(5, e.Stage)
            .Bind(6, e.From is { } from ? SqliteValues.Name(from) : null).Bind(7, SqliteValues.Name(e.To)).Bind(8, e.Reason).Bind(9, Ticks(e.Timestamp))
            .Execute();

    public ValueTask<int> RedactAsync(Guid leadId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return database.WriteAsync(
            w => w.Command("UPDATE aicmo_audit_events SET reason = $reason WHERE lead_id = $lead AND stage <> $erasure;")
                .With("$lead", Id(leadId)).With("$reason", reason).With("$erasure", LeadEraser.Stage).ExecuteNonQuery(),
            cancellationToken);
    }

    // One chunk of a prune: old events of trails whose last event is in a closing state, never that last event. Both look-ups of a
    // trail's last event go through the unique index on (lead, sequence).
    private const string PruneChunkSql = """
        DELETE FROM aicmo_audit_events WHERE id IN (
            SELECT e.id FROM aicmo_audit_events AS e
            WHERE e.at < $before
              AND e.sequence < (SELECT max(x.sequence) FROM aicmo_audit_events AS x WHERE x.lead_id = e.lead_id)
              AND (SELECT l.to_status FROM aicmo_audit_events AS l WHERE l.lead_id = e.lead_id ORDER BY l.sequence DESC LIMIT 1)
                  IN (SELECT value FROM json_each($states))
            LIMIT $chunk);
        """;

    private const int PruneChunk = 5000;

    public async ValueTask<long> PruneAsync(DateTimeOffset olderThan, IReadOnlyCollection<LeadStatus> states, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(states);
        var names = System.Text.Json.JsonSerializer.Serialize(states.Select(SqliteValues.Name).ToArray());
        var before = Ticks(olderThan);
        await database.FlushAsync(cancellationToken).ConfigureAwait(false);
        long deleted = 0;
        while (true)
        {
            // A chunk per write: the single writer is held for one chunk at a time, and pipeline writes go in between.
            var n = await database.WriteAsync(
                w => w.Command(PruneChunkSql).With("$before", before).With("$states", names).With("$chunk", PruneChunk).ExecuteNonQuery(),
                cancellationToken).ConfigureAwait(false);
            deleted += n;
            if (n < PruneChunk)
            {
                return deleted;
            }
        }
    }

    public async ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(Guid leadId, CancellationToken cancellationToken = default)
    {
        // Events appended before this call may still be queued: commit them first, so a reader sees every event appended.
        await database.FlushAsync(cancellationToken).ConfigureAwait(false);
        return await database.ReadAsync<IReadOnlyList<AuditEvent>>(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = """
                    SELECT lead_id, campaign_id, run_id, sequence, stage, from_status, to_status, reason, at
                    FROM aicmo_audit_events WHERE lead_id = $lead ORDER BY sequence, id;
                    """;
                command.With("$lead", Id(leadId));
                using var reader = command.ExecuteReader();
                var list = new List<AuditEvent>();
                while (reader.Read())
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
                        Instant(reader, 8)));
                }

                return list;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
