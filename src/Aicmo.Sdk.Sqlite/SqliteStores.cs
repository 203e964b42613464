using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Microsoft.Data.Sqlite;
using static Aicmo.Sdk.Sqlite.SqliteValues;

namespace Aicmo.Sdk.Sqlite;

/// <summary>Campaigns in <c>aicmo_campaigns</c>: id, name, creation time and version as columns, the rest as a JSON document.</summary>
internal sealed class SqliteCampaignRepository(SqliteDatabase database) : ICampaignRepository
{
    private const string Select = "SELECT id, name, created_at, version, data FROM aicmo_campaigns";

    public ValueTask<Campaign?> GetAsync(string campaignId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = Select + " WHERE id = $id;";
                command.With("$id", campaignId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? Read(reader) : null;
            },
            cancellationToken);

    public ValueTask<Campaign> GetOrAddAsync(Campaign campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return database.WriteAsync(
            w =>
            {
                Insert(w, campaign);
                using var reader = w.Command(Select + " WHERE id = $id;").With("$id", campaign.Id).ExecuteReader();
                reader.Read();
                return Read(reader);
            },
            cancellationToken);
    }

    public ValueTask<bool> TryAddAsync(Campaign campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return database.WriteAsync(w => Insert(w, campaign) == 1, cancellationToken);
    }

    public ValueTask<bool> UpdateAsync(Campaign campaign, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return database.WriteAsync(
            w => w.Command("UPDATE aicmo_campaigns SET name = $name, version = $version, data = $data WHERE id = $id AND version = $expected;")
                .With("$id", campaign.Id).With("$name", campaign.Name).With("$version", campaign.Version)
                .With("$data", CampaignJson.Serialize(campaign)).With("$expected", expectedVersion)
                .ExecuteNonQuery() == 1,
            cancellationToken);
    }

    public ValueTask<IReadOnlyList<Campaign>> ListAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<Campaign>>(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = Select + " ORDER BY id;";
                using var reader = command.ExecuteReader();
                var list = new List<Campaign>();
                while (reader.Read())
                {
                    list.Add(Read(reader));
                }

                // SQLite compares UTF-8 bytes; the contract orders by UTF-16 code unit (ordinal).
                list.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
                return list;
            },
            cancellationToken);

    private static int Insert(WriteContext w, Campaign campaign) =>
        w.Command("INSERT INTO aicmo_campaigns (id, name, created_at, version, data) VALUES ($id, $name, $created, $version, $data) ON CONFLICT (id) DO NOTHING;")
            .With("$id", campaign.Id).With("$name", campaign.Name).With("$created", Ticks(campaign.CreatedAt))
            .With("$version", campaign.Version).With("$data", CampaignJson.Serialize(campaign))
            .ExecuteNonQuery();

    private static Campaign Read(SqliteDataReader reader) => CampaignJson.Apply(
        new Campaign
        {
            Id = reader.GetString(0),
            Name = NullableString(reader, 1),
            CreatedAt = Instant(reader, 2),
            Version = reader.GetInt64(3),
        },
        NullableString(reader, 4));
}

/// <summary>Runs in <c>aicmo_runs</c>: the record as a JSON document, with campaign, status and times as columns.</summary>
internal sealed class SqliteRunRepository(SqliteDatabase database) : IRunRepository
{
    private const string UpsertSql = """
        INSERT INTO aicmo_runs (id, campaign_id, status, started_at, completed_at, data)
        VALUES ($id, $campaign, $status, $started, $completed, $data)
        ON CONFLICT (id) DO UPDATE SET campaign_id = excluded.campaign_id, status = excluded.status,
            started_at = excluded.started_at, completed_at = excluded.completed_at, data = excluded.data;
        """;

    // Both read the stored record and write inside the write transaction, which holds the database's write lock (BEGIN
    // IMMEDIATE): no other process or connection can change the record in between, so each is a compare-and-set.
    public ValueTask<bool> SaveAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return database.WriteAsync(
            w =>
            {
                // A takeover is never undone by a later save: the record keeps the run that took it over.
                var kept = Read(w, run.RunId) is { TakenOverBy: { } by } && by != run.TakenOverBy ? run with { TakenOverBy = by } : run;
                Upsert(w, kept);
                return ReferenceEquals(kept, run);
            },
            cancellationToken,
            atomic: true);
    }

    public ValueTask<bool> TryTakeOverAsync(Guid runId, Guid takerRunId, DateTimeOffset staleBefore, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.WriteAsync(
            w =>
            {
                if (runId == takerRunId || Read(w, runId) is not { } stored || !stored.IsInterrupted(staleBefore))
                {
                    return false;
                }

                Upsert(w, stored with { TakenOverBy = takerRunId, UpdatedAt = now });
                return true;
            },
            cancellationToken,
            atomic: true);

    private static RunRecord? Read(WriteContext w, Guid runId)
    {
        var command = w.Command("SELECT data FROM aicmo_runs WHERE id = $id;").With("$id", Id(runId));
        return command.ExecuteScalar() is string json ? StoreJson.DeserializeRun(json) : null;
    }

    private static void Upsert(WriteContext w, RunRecord run) =>
        w.Command(UpsertSql)
            .With("$id", Id(run.RunId)).With("$campaign", run.CampaignId).With("$status", run.Status.ToString())
            .With("$started", Ticks(run.StartedAt)).With("$completed", Ticks(run.CompletedAt)).With("$data", StoreJson.Serialize(run))
            .ExecuteNonQuery();

    public ValueTask<RunRecord?> GetAsync(Guid runId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = "SELECT data FROM aicmo_runs WHERE id = $id;";
                command.With("$id", Id(runId));
                return command.ExecuteScalar() is string json ? StoreJson.DeserializeRun(json) : null;
            },
            cancellationToken);

    public ValueTask<IReadOnlyList<RunRecord>> ListAsync(string campaignId, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<RunRecord>>(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = "SELECT data FROM aicmo_runs WHERE campaign_id = $campaign ORDER BY started_at DESC, id DESC;";
                command.With("$campaign", campaignId);
                using var reader = command.ExecuteReader();
                var list = new List<RunRecord>();
                while (reader.Read())
                {
                    list.Add(StoreJson.DeserializeRun(reader.GetString(0)));
                }

                return list;
            },
            cancellationToken);
}

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

/// <summary>The outbox in <c>aicmo_outbox</c>; a unique index on (lead, sequence, step) makes a reservation atomic.</summary>
internal sealed class SqliteEmailOutbox(SqliteDatabase database) : IEmailOutbox
{
    private const string Columns = "lead_id, sequence, step, campaign_id, recipient, subject, status, attempts, created_at, sent_at, provider_message_id, error, claim_owner, claim_expires_at";

    // Parameters bound by SqliteStatement: ?1 lead, ?2 sequence, ?3 step, then the statement's own.
    private const string SelectByKey = "SELECT " + Columns + " FROM aicmo_outbox WHERE lead_id = ?1 AND sequence = ?2 AND step = ?3;";

    private const string ReserveSql = """
        INSERT INTO aicmo_outbox (lead_id, sequence, step, campaign_id, recipient, subject, status, attempts, created_at, sent_at, provider_message_id, error, claim_owner, claim_expires_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
        ON CONFLICT (lead_id, sequence, step) DO NOTHING;
        """;

    // ?4 new owner, ?5 new expiry, ?6 now, ?7 the status seen, ?8 the owner seen.
    private const string ReclaimSql = """
        UPDATE aicmo_outbox SET status = 'Pending', claim_owner = ?4, claim_expires_at = ?5
        WHERE lead_id = ?1 AND sequence = ?2 AND step = ?3 AND status = ?7 AND claim_owner IS ?8
          AND (status IN ('Failed', 'DryRun') OR (status = 'Pending' AND (claim_expires_at IS NULL OR claim_expires_at <= ?6)));
        """;

    private const string MarkSentSql = """
        UPDATE aicmo_outbox SET status = 'Sent', sent_at = ?4, provider_message_id = ?5, attempts = attempts + 1, error = NULL
        WHERE lead_id = ?1 AND sequence = ?2 AND step = ?3;
        """;

    public ValueTask<OutboxReservation> ReserveAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return database.WriteAsync(
            w =>
            {
                var created = BindKey(w.Statement(ReserveSql), entry.Key)
                    .Bind(4, entry.CampaignId).Bind(5, entry.To).Bind(6, entry.Subject).Bind(7, entry.Status.ToString())
                    .Bind(8, entry.Attempts).Bind(9, Ticks(entry.CreatedAt)).Bind(10, entry.SentAt?.UtcTicks)
                    .Bind(11, entry.ProviderMessageId).Bind(12, entry.Error)
                    .Bind(13, entry.ClaimOwner).Bind(14, entry.ClaimExpiresAt?.UtcTicks)
                    .Execute() == 1;

                // A new entry is stored as it was given (instants in UTC, as they read back); only an existing one is read.
                return new OutboxReservation(created, created ? AsStored(entry) : ReadOne(BindKey(w.Statement(SelectByKey), entry.Key))!);
            },
            cancellationToken);
    }

    public ValueTask<OutboxEntry?> TryReclaimAsync(OutboxEntry seen, string owner, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seen);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return database.WriteAsync(
            w => BindKey(w.Statement(ReclaimSql), seen.Key)
                    .Bind(4, owner).Bind(5, expiresAt.UtcTicks).Bind(6, now.UtcTicks).Bind(7, seen.Status.ToString()).Bind(8, seen.ClaimOwner)
                    .Execute() == 1
                ? ReadOne(BindKey(w.Statement(SelectByKey), seen.Key))
                : null,
            cancellationToken);
    }

    public ValueTask<string?> FindSequenceAsync(Guid leadId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            c =>
            {
                var statement = c.Statement("SELECT sequence FROM aicmo_outbox WHERE lead_id = ?1 ORDER BY id LIMIT 1;").Bind(1, leadId);
                using var rows = statement.Query();
                return rows.Read() ? statement.GetString(0) : null;
            },
            cancellationToken);

    public ValueTask MarkSentAsync(OutboxKey key, string? providerMessageId, DateTimeOffset sentAt, CancellationToken cancellationToken = default) =>
        new(database.WriteAsync(
            w => BindKey(w.Statement(MarkSentSql), key).Bind(4, Ticks(sentAt)).Bind(5, providerMessageId).Execute() == 1 ? true : throw Missing(key),
            cancellationToken).AsTask());

    public ValueTask MarkFailedAsync(OutboxKey key, string error, CancellationToken cancellationToken = default) =>
        new(database.WriteAsync(
            w =>
            {
                var changed = BindKey(w.Command("""
                        UPDATE aicmo_outbox SET status = 'Failed', error = $error, attempts = attempts + 1
                        WHERE lead_id = $lead AND sequence = $sequence AND step = $step AND status <> 'Sent';
                        """), key)
                    .With("$error", error)
                    .ExecuteNonQuery();

                // Nothing changed: either the email was already sent (a late failure report is ignored) or the key is unknown.
                return changed == 1 || BindKey(w.Command("SELECT 1 FROM aicmo_outbox WHERE lead_id = $lead AND sequence = $sequence AND step = $step;"), key)
                    .ExecuteScalar() is not null ? true : throw Missing(key);
            },
            cancellationToken).AsTask());

    public ValueTask<OutboxEntry?> GetAsync(OutboxKey key, CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            c => ReadOne(BindKey(c.Statement(SelectByKey), key)),
            cancellationToken);

    public ValueTask<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus? status = null, int skip = 0, int take = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        return database.ReadAsync<IReadOnlyList<OutboxEntry>>(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = status is null
                    ? "SELECT " + Columns + " FROM aicmo_outbox ORDER BY id LIMIT $take OFFSET $skip;"
                    : "SELECT " + Columns + " FROM aicmo_outbox WHERE status = $status ORDER BY id LIMIT $take OFFSET $skip;";
                command.With("$take", take).With("$skip", skip);
                if (status is { } s)
                {
                    command.With("$status", s.ToString());
                }

                using var reader = command.ExecuteReader();
                var list = new List<OutboxEntry>();
                while (reader.Read())
                {
                    list.Add(Read(reader));
                }

                return list;
            },
            cancellationToken);
    }

    public ValueTask<int> RedactAsync(Guid leadId, string replacement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        return database.WriteAsync(
            w => w.Command("""
                    UPDATE aicmo_outbox SET recipient = $value, subject = $value, error = CASE WHEN error IS NULL THEN NULL ELSE $value END
                    WHERE lead_id = $lead;
                    """)
                .With("$lead", Id(leadId)).With("$value", replacement)
                .ExecuteNonQuery(),
            cancellationToken);
    }

    private static SqliteCommand BindKey(SqliteCommand command, OutboxKey key) =>
        command.With("$lead", Id(key.LeadId)).With("$sequence", key.Sequence).With("$step", key.Step);

    private static SqliteStatement BindKey(SqliteStatement statement, OutboxKey key) =>
        statement.Bind(1, key.LeadId).Bind(2, key.Sequence).Bind(3, key.Step);

    private static InvalidOperationException Missing(OutboxKey key) => new($"The outbox holds no entry {key}.");

    private static OutboxEntry AsStored(OutboxEntry entry) =>
        entry.CreatedAt.Offset == TimeSpan.Zero && (entry.SentAt is null || entry.SentAt.Value.Offset == TimeSpan.Zero)
            ? entry
            : entry with { CreatedAt = entry.CreatedAt.ToUniversalTime(), SentAt = entry.SentAt?.ToUniversalTime() };

    private static OutboxEntry? ReadOne(SqliteStatement statement)
    {
        using var rows = statement.Query();
        return rows.Read() ? Read(statement) : null;
    }

    private static OutboxEntry Read(SqliteStatement row) => new()
    {
        Key = new OutboxKey(row.GetGuid(0), row.GetString(1), row.GetInt32(2)),
        CampaignId = row.GetString(3),
        To = row.GetString(4),
        Subject = row.GetString(5),
        Status = Enum<OutboxStatus>(row.GetString(6)),
        Attempts = row.GetInt32(7),
        CreatedAt = new DateTimeOffset(row.GetInt64(8), TimeSpan.Zero),
        SentAt = row.IsNull(9) ? null : new DateTimeOffset(row.GetInt64(9), TimeSpan.Zero),
        ProviderMessageId = row.GetNullableString(10),
        Error = row.GetNullableString(11),
        ClaimOwner = row.GetNullableString(12),
        ClaimExpiresAt = row.IsNull(13) ? null : new DateTimeOffset(row.GetInt64(13), TimeSpan.Zero),
    };

    private static OutboxEntry Read(SqliteDataReader reader) => new()
    {
        Key = new OutboxKey(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2)),
        CampaignId = reader.GetString(3),
        To = reader.GetString(4),
        Subject = reader.GetString(5),
        Status = Enum<OutboxStatus>(reader.GetString(6)),
        Attempts = reader.GetInt32(7),
        CreatedAt = Instant(reader, 8),
        SentAt = NullableInstant(reader, 9),
        ProviderMessageId = NullableString(reader, 10),
        Error = NullableString(reader, 11),
        ClaimOwner = NullableString(reader, 12),
        ClaimExpiresAt = NullableInstant(reader, 13),
    };
}

/// <summary>The suppression list in <c>aicmo_suppressions</c>, keyed by normalized address.</summary>
internal sealed class SqliteSuppressionList(SqliteDatabase database) : ISuppressionList
{
    public ValueTask AddAsync(SuppressionEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var key = LeadIdentity.NormalizeEmail(entry.Email) ?? throw new ArgumentException("The address is empty.", nameof(entry));
        return new ValueTask(database.WriteAsync(
            w => w.Command("""
                    INSERT INTO aicmo_suppressions (email, reason, at) VALUES ($email, $reason, $at)
                    ON CONFLICT (email) DO UPDATE SET reason = excluded.reason, at = excluded.at;
                    """)
                .With("$email", key).With("$reason", entry.Reason.ToString()).With("$at", Ticks(entry.At))
                .ExecuteNonQuery(),
            cancellationToken).AsTask());
    }

    public ValueTask<SuppressionEntry?> GetAsync(string email, CancellationToken cancellationToken = default)
    {
        var key = LeadIdentity.NormalizeEmail(email);
        if (key is null)
        {
            return new((SuppressionEntry?)null);
        }

        return database.ReadAsync(
            c =>
            {
                var statement = c.Statement("SELECT reason, at FROM aicmo_suppressions WHERE email = ?1;").Bind(1, key);
                using var rows = statement.Query();
                return rows.Read() ? new SuppressionEntry(key, Enum<SuppressionReason>(statement.GetString(0)), new DateTimeOffset(statement.GetInt64(1), TimeSpan.Zero)) : null;
            },
            cancellationToken);
    }

    public ValueTask<bool> RemoveAsync(string email, CancellationToken cancellationToken = default)
    {
        var key = LeadIdentity.NormalizeEmail(email);
        if (key is null)
        {
            return new(false);
        }

        return database.WriteAsync(
            w => w.Command("DELETE FROM aicmo_suppressions WHERE email = $email;").With("$email", key).ExecuteNonQuery() == 1,
            cancellationToken);
    }

    public ValueTask<IReadOnlyList<SuppressionEntry>> ListAsync(string? after = null, int take = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        return database.ReadAsync<IReadOnlyList<SuppressionEntry>>(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = "SELECT email, reason, at FROM aicmo_suppressions WHERE $after IS NULL OR email > $after ORDER BY email LIMIT $take;";
                command.With("$after", after).With("$take", take);
                using var reader = command.ExecuteReader();
                var list = new List<SuppressionEntry>();
                while (reader.Read())
                {
                    list.Add(new SuppressionEntry(reader.GetString(0), Enum<SuppressionReason>(reader.GetString(1)), new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero)));
                }

                return list;
            },
            cancellationToken);
    }
}
