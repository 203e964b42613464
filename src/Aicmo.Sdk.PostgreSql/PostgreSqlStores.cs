using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Npgsql;
using NpgsqlTypes;
using static Aicmo.Sdk.PostgreSql.PostgreSqlValues;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>
/// Leads in <c>leads</c>: a jsonb document per lead, with the columns that are indexed or compared copied out of it. A batch
/// (<see cref="TryAddManyAsync"/>, <see cref="UpdateManyAsync"/>) is one statement over arrays; single adds and updates made
/// by concurrent workers are coalesced (<see cref="PostgreSqlCoalescer{TRequest, TResult}"/>) into the same statements.
/// </summary>
internal sealed partial class PostgreSqlLeadRepository : ILeadRepository
{
    private const string InsertLeadSql = """
        INSERT INTO {s}.leads (id, campaign_id, identity_key, status, version, run_id, created_at, updated_at, data)
        VALUES (@id, @campaign, @key, @status, @version, @run, @created, @updated, @data)
        ON CONFLICT (campaign_id, identity_key) DO NOTHING;
        """;

    private const string UpdateLeadSql = """
        WITH updated AS (
            UPDATE {s}.leads SET status = @status, version = @version, run_id = @run, updated_at = @updated, data = @data
            WHERE id = @id AND version = @expected AND campaign_id = @campaign AND identity_key = @key
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM updated), l.campaign_id, l.identity_key
        FROM (SELECT 1) AS one LEFT JOIN {s}.leads AS l ON l.id = @id;
        """;

    // One statement for many leads. Rows go in sorted by identity, so two statements racing on the same identities take the
    // index entries in the same order and one waits for the other instead of deadlocking; ON CONFLICT (identity) then reports
    // the loser's rows as duplicates. A clash on the id (a caller bug, or the same lead added again) fails the statement, which
    // stores nothing; the leads are then decided one by one, which tells the two apart.
    private const string InsertLeadsSql = """
        INSERT INTO {s}.leads (id, campaign_id, identity_key, status, version, run_id, created_at, updated_at, data)
        SELECT * FROM unnest(@ids, @campaigns, @keys, @statuses, @versions, @runs, @created, @updated, @data)
            AS t(id, campaign_id, identity_key, status, version, run_id, created_at, updated_at, data)
        ORDER BY campaign_id, identity_key
        ON CONFLICT (campaign_id, identity_key) DO NOTHING
        RETURNING id;
        """;

    // Statements over arrays are prepared once per connection, often while the tables are still empty, and PostgreSQL keeps the
    // plan it chose then. Each therefore finds its rows through `= ANY(array)` or a LATERAL ... LIMIT 1 look-up, which only
    // an index serves well, so the plan kept never scans the whole table as it grows.

    // Many compare-and-set updates in one statement: the rows applied come back flagged true; a stored lead whose campaign or
    // identity key differs from its update's comes back flagged false (a caller bug).
    private const string UpdateLeadsSql = """
        WITH input AS (
            SELECT * FROM unnest(@ids, @expected, @campaigns, @keys, @statuses, @versions, @runs, @updated, @data)
                AS t(id, expected, campaign_id, identity_key, status, version, run_id, updated_at, data)
        ), applied AS (
            UPDATE {s}.leads AS l
            SET status = i.status, version = i.version, run_id = i.run_id, updated_at = i.updated_at, data = i.data
            FROM input AS i
            WHERE l.id = ANY(@ids) AND l.id = i.id AND l.version = i.expected AND l.campaign_id = i.campaign_id AND l.identity_key = i.identity_key
            RETURNING l.id
        )
        SELECT id, true FROM applied
        UNION ALL
        SELECT l.id, false FROM input AS i JOIN {s}.leads AS l ON l.id = i.id
        WHERE l.id = ANY(@ids) AND (l.campaign_id <> i.campaign_id OR l.identity_key <> i.identity_key);
        """;

    private readonly PostgreSqlDatabase _database;
    private readonly PostgreSqlCoalescer<Lead, bool> _adds;
    private readonly PostgreSqlCoalescer<LeadUpdate, UpdateOutcome> _updates;
    private readonly PostgreSqlCoalescer<LeadWrite, UpdateOutcome> _writes;

    public PostgreSqlLeadRepository(PostgreSqlDatabase database)
    {
        _database = database;
        _adds = _database.Coalesce<Lead, bool>(AddGroupAsync, lead => TryAddAloneAsync(lead, CancellationToken.None));
        _updates = _database.Coalesce<LeadUpdate, UpdateOutcome>(UpdateGroupAsync, UpdateAloneAsync);
        _writes = _database.Coalesce<LeadWrite, UpdateOutcome>(WriteGroupAsync, WriteAloneAsync);
    }

    private enum UpdateOutcome
    {
        Refused,
        Applied,
        KeyChanged,
    }

    public async ValueTask<bool> TryAddAsync(Lead lead, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentException.ThrowIfNullOrEmpty(lead.IdentityKey, nameof(lead));
        await _database.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return await _adds.RunAsync(lead).ConfigureAwait(false);
    }

    private async Task<bool[]> AddGroupAsync(List<Lead> leads)
    {
        // Two workers adding the same identity in one group: the first is stored, the other is its duplicate. A clash on the id
        // throws, and the coalescer then adds each lead on its own.
        var firsts = FirstOfEachIdentity(leads.Count, i => leads[i]);
        var stored = await InsertAsync(firsts.Select(i => leads[i]).ToArray(), null, null, CancellationToken.None).ConfigureAwait(false);
        var results = new bool[leads.Count];
        foreach (var i in firsts)
        {
            results[i] = stored.Contains(leads[i].Id);
        }

        return results;
    }

    private async Task<bool> TryAddAloneAsync(Lead lead, CancellationToken cancellationToken)
    {
        await using var command = await _database.CommandAsync(InsertLeadSql, cancellationToken).ConfigureAwait(false);
        BindInsert(command, lead, StoreJson.Serialize(lead));
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation)
        {
            // The id is taken. Under the same identity that is the same duplicate; under another it is a caller bug.
            return await FindByIdentityAsync(lead.CampaignId, lead.IdentityKey, cancellationToken).ConfigureAwait(false) is not null
                ? false
                : throw new InvalidOperationException($"A lead with id {lead.Id} already exists.", ex);
        }
    }

    private static NpgsqlCommand BindInsert(NpgsqlCommand command, Lead lead, string data) =>
        command.With("id", lead.Id).WithText("campaign", lead.CampaignId).WithText("key", lead.IdentityKey).WithText("status", lead.Status.ToString())
            .With("version", lead.Version).With("run", lead.RunId).With("created", lead.CreatedAt).With("updated", lead.UpdatedAt)
            .WithJson("data", data);

    private static List<int> FirstOfEachIdentity(int count, Func<int, Lead> leadAt)
    {
        var firsts = new List<int>(count);
        var identities = new HashSet<(string, string)>(count);
        for (var i = 0; i < count; i++)
        {
            var lead = leadAt(i);
            if (identities.Add((lead.CampaignId, lead.IdentityKey)))
            {
                firsts.Add(i);
            }
        }

        return firsts;
    }

    /// <summary>Inserts leads of distinct identities in one statement; returns the ids of those stored (the others were duplicates).</summary>
    private async Task<HashSet<Guid>> InsertAsync(Lead[] leads, NpgsqlConnection? connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken, AuditEvent[]? events = null)
    {
        var sql = events is { Length: > 0 } ? InsertLeadsWithEventsSql : InsertLeadsSql;
        var m = leads.Length;
        var ids = new Guid[m];
        var campaigns = new string[m];
        var keys = new string[m];
        var statuses = new string[m];
        var versions = new long[m];
        var runs = new Guid[m];
        var created = new DateTimeOffset[m];
        var updated = new DateTimeOffset[m];
        var data = new string[m];
        for (var j = 0; j < m; j++)
        {
            var lead = leads[j];
            ids[j] = lead.Id;
            campaigns[j] = lead.CampaignId;
            keys[j] = lead.IdentityKey;
            statuses[j] = lead.Status.ToString();
            versions[j] = lead.Version;
            runs[j] = lead.RunId;
            created[j] = lead.CreatedAt.ToUniversalTime();
            updated[j] = lead.UpdatedAt.ToUniversalTime();
            data[j] = StoreJson.Serialize(lead);
        }

        await using var command = connection is null
            ? await _database.CommandAsync(sql, cancellationToken).ConfigureAwait(false)
            : new NpgsqlCommand(_database.Sql(sql), connection, transaction);
        if (events is { Length: > 0 })
        {
            BindEvents(command, events);
        }

        command.WithArray("ids", NpgsqlDbType.Uuid, ids).WithArray("campaigns", NpgsqlDbType.Text, campaigns)
            .WithArray("keys", NpgsqlDbType.Text, keys).WithArray("statuses", NpgsqlDbType.Text, statuses)
            .WithArray("versions", NpgsqlDbType.Bigint, versions).WithArray("runs", NpgsqlDbType.Uuid, runs)
            .WithArray("created", NpgsqlDbType.TimestampTz, created).WithArray("updated", NpgsqlDbType.TimestampTz, updated)
            .WithArray("data", NpgsqlDbType.Jsonb, data);
        var stored = new HashSet<Guid>(m);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            stored.Add(reader.GetGuid(0));
        }

        return stored;
    }

    public ValueTask TryAddManyAsync(ReadOnlyMemory<Lead> leads, Memory<bool> added, CancellationToken cancellationToken = default) =>
        AddManyAsync(leads, null, added, cancellationToken);

    private async ValueTask AddManyAsync(ReadOnlyMemory<Lead> leads, AuditEvent[]? events, Memory<bool> added, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(added.Length, leads.Length, nameof(added));
        if (leads.IsEmpty)
        {
            return;
        }

        var n = leads.Length;
        for (var i = 0; i < n; i++)
        {
            var lead = leads.Span[i] ?? throw new ArgumentException($"The lead at index {i} is null.", nameof(leads));
            if (string.IsNullOrEmpty(lead.IdentityKey))
            {
                throw new ArgumentException($"The lead at index {i} has no identity key.", nameof(leads));
            }
        }

        // A lead whose identity appears earlier in the batch is a duplicate: only the first of each identity goes to the server.
        var firsts = FirstOfEachIdentity(n, i => leads.Span[i]);
        var batch = new Lead[firsts.Count];
        for (var j = 0; j < batch.Length; j++)
        {
            batch[j] = leads.Span[firsts[j]];
        }

        HashSet<Guid> stored;
        try
        {
            await _database.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
            stored = await InsertAsync(batch, null, null, cancellationToken, events).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation)
        {
            // An id is taken (the statement stored nothing): decide lead by lead, in one transaction.
            stored = await TryAddManySlowAsync(batch, cancellationToken, events).ConfigureAwait(false);
        }

        var result = added.Span;
        result[..n].Clear();
        foreach (var i in firsts)
        {
            result[i] = stored.Contains(leads.Span[i].Id);
        }
    }

    private async Task<HashSet<Guid>> TryAddManySlowAsync(Lead[] batch, CancellationToken cancellationToken, AuditEvent[]? events = null)
    {
        var stored = new HashSet<Guid>(batch.Length);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var lead in batch.OrderBy(l => l.CampaignId, StringComparer.Ordinal).ThenBy(l => l.IdentityKey, StringComparer.Ordinal))
        {
            await using (var insert = new NpgsqlCommand(
                _database.Sql("""
                    INSERT INTO {s}.leads (id, campaign_id, identity_key, status, version, run_id, created_at, updated_at, data)
                    VALUES (@id, @campaign, @key, @status, @version, @run, @created, @updated, @data)
                    ON CONFLICT DO NOTHING;
                    """),
                connection,
                transaction))
            {
                BindInsert(insert, lead, StoreJson.Serialize(lead));
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    stored.Add(lead.Id);
                    continue;
                }
            }

            // Not stored: a duplicate when the identity is taken; otherwise only the id is, under another identity.
            await using var find = new NpgsqlCommand(
                _database.Sql("SELECT EXISTS (SELECT 1 FROM {s}.leads WHERE campaign_id = @campaign AND identity_key = @key);"), connection, transaction);
            find.WithText("campaign", lead.CampaignId).WithText("key", lead.IdentityKey);
            if (await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                // Disposing the transaction uncommitted rolls back the leads of the batch stored so far.
                throw new InvalidOperationException($"A lead with id {lead.Id} already exists.");
            }
        }

        await InsertEventsOfAsync(stored, events, connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    public async ValueTask<bool> UpdateAsync(Lead lead, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);

        // The lead's audit events are queued without waiting; its new state is stored only once they are.
        await _database.WaitForAuditsAsync(lead.Id).ConfigureAwait(false);
        await _database.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return await _updates.RunAsync(new LeadUpdate(lead, expectedVersion)).ConfigureAwait(false) switch
        {
            UpdateOutcome.Applied => true,
            UpdateOutcome.KeyChanged => throw new InvalidOperationException("The campaign and identity key of a stored lead cannot change."),
            _ => false,
        };
    }

    private async Task<UpdateOutcome[]> UpdateGroupAsync(List<LeadUpdate> updates)
    {
        // Each update succeeds or fails on its own (autocommit, no rollback for a key change: that update alone is refused). A
        // lead updated twice in the group: the later updates run on their own, after the statement, so each is a separate
        // compare-and-set.
        var n = updates.Count;
        var index = new Dictionary<Guid, int>(n);
        var again = new List<int>();
        for (var i = 0; i < n; i++)
        {
            if (!index.TryAdd(updates[i].Lead.Id, i))
            {
                again.Add(i);
            }
        }

        var firsts = index.Values.Order().Select(i => updates[i]).ToArray();
        var results = new UpdateOutcome[n];
        await using (var connection = await _database.OpenAsync(CancellationToken.None).ConfigureAwait(false))
        {
            await ExecuteUpdatesAsync(firsts, index, results, connection, null, CancellationToken.None).ConfigureAwait(false);
        }

        foreach (var i in again)
        {
            results[i] = await UpdateAloneAsync(updates[i]).ConfigureAwait(false);
        }

        return results;
    }

    private async Task ExecuteUpdatesAsync(
        LeadUpdate[] updates, Dictionary<Guid, int> index, UpdateOutcome[] results, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken,
        AuditEvent[]? events = null)
    {
        var n = updates.Length;
        var ids = new Guid[n];
        var expected = new long[n];
        var campaigns = new string[n];
        var keys = new string[n];
        var statuses = new string[n];
        var versions = new long[n];
        var runs = new Guid[n];
        var times = new DateTimeOffset[n];
        var data = new string[n];
        for (var i = 0; i < n; i++)
        {
            var (lead, expectedVersion) = updates[i];
            ids[i] = lead.Id;
            expected[i] = expectedVersion;
            campaigns[i] = lead.CampaignId;
            keys[i] = lead.IdentityKey;
            statuses[i] = lead.Status.ToString();
            versions[i] = lead.Version;
            runs[i] = lead.RunId;
            times[i] = lead.UpdatedAt.ToUniversalTime();
            data[i] = StoreJson.Serialize(lead);
        }

        await using var command = new NpgsqlCommand(_database.Sql(events is null ? UpdateLeadsSql : UpdateLeadsWithEventsSql), connection, transaction);
        if (events is not null)
        {
            BindEvents(command, events);
        }

        command.WithArray("ids", NpgsqlDbType.Uuid, ids).WithArray("expected", NpgsqlDbType.Bigint, expected)
            .WithArray("campaigns", NpgsqlDbType.Text, campaigns).WithArray("keys", NpgsqlDbType.Text, keys)
            .WithArray("statuses", NpgsqlDbType.Text, statuses).WithArray("versions", NpgsqlDbType.Bigint, versions)
            .WithArray("runs", NpgsqlDbType.Uuid, runs).WithArray("updated", NpgsqlDbType.TimestampTz, times)
            .WithArray("data", NpgsqlDbType.Jsonb, data);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results[index[reader.GetGuid(0)]] = reader.GetBoolean(1) ? UpdateOutcome.Applied : UpdateOutcome.KeyChanged;
        }
    }

    private async Task<UpdateOutcome> UpdateAloneAsync(LeadUpdate update)
    {
        var (lead, expectedVersion) = update;
        await using var command = await _database.CommandAsync(UpdateLeadSql, CancellationToken.None).ConfigureAwait(false);
        command.With("id", lead.Id).With("expected", expectedVersion).WithText("campaign", lead.CampaignId).WithText("key", lead.IdentityKey)
            .WithText("status", lead.Status.ToString()).With("version", lead.Version).With("run", lead.RunId).With("updated", lead.UpdatedAt)
            .WithJson("data", StoreJson.Serialize(lead));
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        await reader.ReadAsync().ConfigureAwait(false);
        if (reader.GetInt64(0) == 1)
        {
            return UpdateOutcome.Applied;
        }

        // Not updated: missing, another writer got there first, or the keys differ (a caller bug). Campaign and identity key
        // never change once stored, so the statement's snapshot is enough to tell the last case apart.
        return !reader.IsDBNull(1) && (reader.GetString(1) != lead.CampaignId || reader.GetString(2) != lead.IdentityKey)
            ? UpdateOutcome.KeyChanged
            : UpdateOutcome.Refused;
    }

    public ValueTask UpdateManyAsync(ReadOnlyMemory<LeadUpdate> updates, Memory<bool> updated, CancellationToken cancellationToken = default) =>
        UpdateBatchAsync(updates, null, updated, cancellationToken);

    // With events: each applied lead's events are written by the same statement (see UpdateLeadsWithEventsSql).
    private async ValueTask UpdateBatchAsync(ReadOnlyMemory<LeadUpdate> updates, AuditEvent[]? events, Memory<bool> updated, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(updated.Length, updates.Length, nameof(updated));
        if (updates.IsEmpty)
        {
            return;
        }

        var n = updates.Length;
        var batch = updates.ToArray();
        var index = new Dictionary<Guid, int>(n);
        for (var i = 0; i < n; i++)
        {
            var lead = batch[i].Lead ?? throw new ArgumentException($"The update at index {i} has no lead.", nameof(updates));
            if (!index.TryAdd(lead.Id, i))
            {
                throw new ArgumentException($"Lead {lead.Id} appears more than once in the batch.", nameof(updates));
            }
        }

        // The leads' audit events are queued without waiting; their new states are stored only once the events are.
        foreach (var update in batch)
        {
            await _database.WaitForAuditsAsync(update.Lead.Id).ConfigureAwait(false);
        }

        var results = new UpdateOutcome[n];
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);

                // Npgsql sends BEGIN with the statement: the update is one round trip, the commit (or rollback) a second.
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteUpdatesAsync(batch, index, results, connection, transaction, cancellationToken, events).ConfigureAwait(false);
                var changed = Array.IndexOf(results, UpdateOutcome.KeyChanged);
                if (changed >= 0)
                {
                    // Disposing the transaction uncommitted rolls back every update of the batch.
                    throw new InvalidOperationException($"The campaign and identity key of a stored lead cannot change (lead {batch[changed].Lead.Id}).");
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (PostgresException ex) when (ex.SqlState == DeadlockDetected && attempt < 3)
            {
                // Two batches updating some of the same leads in different orders: the server rolled this one back; run it again.
                Array.Clear(results);
            }
        }

        var span = updated.Span;
        for (var i = 0; i < n; i++)
        {
            span[i] = results[i] == UpdateOutcome.Applied;
        }
    }

    public async ValueTask<bool> EraseAsync(Lead anonymized, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anonymized);
        ArgumentException.ThrowIfNullOrEmpty(anonymized.IdentityKey, nameof(anonymized));
        await _database.WaitForAuditsAsync(anonymized.Id).ConfigureAwait(false);
        await using var command = await _database.CommandAsync(
            """
            UPDATE {s}.leads SET identity_key = @key, status = @status, version = @version, updated_at = @updated, data = @data
            WHERE id = @id AND version = @expected;
            """,
            cancellationToken).ConfigureAwait(false);
        command.With("id", anonymized.Id).With("expected", expectedVersion).WithText("key", anonymized.IdentityKey)
            .WithText("status", anonymized.Status.ToString()).With("version", anonymized.Version).With("updated", anonymized.UpdatedAt)
            .WithJson("data", StoreJson.Serialize(anonymized));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<Lead?> GetAsync(Guid leadId, CancellationToken cancellationToken = default)
    {
        await using var command = await _database.CommandAsync("SELECT data FROM {s}.leads WHERE id = @id;", cancellationToken).ConfigureAwait(false);
        command.With("id", leadId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? StoreJson.DeserializeLead(json) : null;
    }

    public async ValueTask<Lead?> FindByIdentityAsync(string campaignId, string identityKey, CancellationToken cancellationToken = default)
    {
        await using var command = await _database.CommandAsync(
            "SELECT data FROM {s}.leads WHERE campaign_id = @campaign AND identity_key = @key;", cancellationToken).ConfigureAwait(false);
        command.WithText("campaign", campaignId).WithText("key", identityKey);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? StoreJson.DeserializeLead(json) : null;
    }

    public async ValueTask<IReadOnlyList<Lead>> QueryAsync(LeadQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Take);
        await using var command = await _database.CommandAsync(
            "SELECT data FROM {s}.leads WHERE campaign_id = @campaign"
            + (query.Status is null ? string.Empty : " AND status = @status")
            + (query.After is null ? string.Empty : " AND (created_at, id) > (@after_at, @after_id)")
            + " ORDER BY created_at, id LIMIT @take OFFSET @skip;",
            cancellationToken).ConfigureAwait(false);
        command.WithText("campaign", query.CampaignId).With("take", query.Take).With("skip", query.Skip);
        if (query.Status is { } status)
        {
            command.WithText("status", status.ToString());
        }

        if (query.After is { } after)
        {
            // The column holds microseconds; the key, read from the document, may carry finer ticks.
            var at = after.CreatedAt.UtcTicks;
            command.With("after_at", new DateTimeOffset(at - (at % 10), TimeSpan.Zero)).With("after_id", after.Id);
        }

        var leads = new List<Lead>(Math.Min(query.Take, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leads.Add(StoreJson.DeserializeLead(reader.GetString(0)));
        }

        return leads;
    }

    public async ValueTask<IReadOnlyList<Lead>> ListByRunAsync(LeadRunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Take);

        // ix_leads_run_id serves the run and the order: each page reads from the key on, never the pages before it.
        var sql = "SELECT data FROM {s}.leads WHERE run_id = @run" +
            (query.Statuses is null ? string.Empty : " AND status = ANY(@statuses)") +
            (query.After is null ? string.Empty : " AND id > @after") +
            " ORDER BY id LIMIT @take;";
        await using var command = await _database.CommandAsync(sql, cancellationToken).ConfigureAwait(false);
        command.With("run", query.RunId).With("take", query.Take);
        if (query.Statuses is { } statuses)
        {
            command.WithArray("statuses", NpgsqlDbType.Text, statuses.Select(static s => s.ToString()).ToArray());
        }

        if (query.After is { } after)
        {
            command.With("after", after);
        }

        var leads = new List<Lead>(Math.Min(query.Take, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leads.Add(StoreJson.DeserializeLead(reader.GetString(0)));
        }

        return leads;
    }

    public async ValueTask<IReadOnlyDictionary<LeadStatus, long>> CountByStatusAsync(string campaignId, Guid? runId = null, CancellationToken cancellationToken = default)
    {
        await using var command = await _database.CommandAsync(
            runId is null
                ? "SELECT status, count(*) FROM {s}.leads WHERE campaign_id = @campaign GROUP BY status;"
                : "SELECT status, count(*) FROM {s}.leads WHERE run_id = @run AND campaign_id = @campaign GROUP BY status;",
            cancellationToken).ConfigureAwait(false);
        command.WithText("campaign", campaignId);
        if (runId is { } run)
        {
            command.With("run", run);
        }

        var counts = new Dictionary<LeadStatus, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[Enum<LeadStatus>(reader.GetString(0))] = reader.GetInt64(1);
        }

        return counts;
    }

    public async ValueTask<long> CountAsync(string campaignId, LeadStatus? status = null, CancellationToken cancellationToken = default)
    {
        await using var command = await _database.CommandAsync(
            status is null
                ? "SELECT count(*) FROM {s}.leads WHERE campaign_id = @campaign;"
                : "SELECT count(*) FROM {s}.leads WHERE campaign_id = @campaign AND status = @status;",
            cancellationToken).ConfigureAwait(false);
        command.WithText("campaign", campaignId);
        if (status is { } s)
        {
            command.WithText("status", s.ToString());
        }

        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}

/// <summary>Campaigns in <c>campaigns</c>.</summary>
internal sealed class PostgreSqlCampaignRepository(PostgreSqlDatabase database) : ICampaignRepository
{
    private const string Select = "SELECT id, name, created_at, version, data FROM {s}.campaigns";

    public async ValueTask<Campaign?> GetAsync(string campaignId, CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync(Select + " WHERE id = @id;", cancellationToken).ConfigureAwait(false);
        command.WithText("id", campaignId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public async ValueTask<Campaign> GetOrAddAsync(Campaign campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        await InsertAsync(campaign, cancellationToken).ConfigureAwait(false);
        return await GetAsync(campaign.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Campaign '{campaign.Id}' vanished right after it was added.");
    }

    public async ValueTask<bool> TryAddAsync(Campaign campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return await InsertAsync(campaign, cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<bool> UpdateAsync(Campaign campaign, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        await using var command = await database.CommandAsync(
            "UPDATE {s}.campaigns SET name = @name, version = @version, data = @data WHERE id = @id AND version = @expected;", cancellationToken).ConfigureAwait(false);
        command.WithText("id", campaign.Id).WithText("name", campaign.Name).WithText("data", CampaignJson.Serialize(campaign))
            .With("version", campaign.Version).With("expected", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<IReadOnlyList<Campaign>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync(Select + " ORDER BY id COLLATE \"C\";", cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<Campaign>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(reader));
        }

        // "C" compares UTF-8 bytes; the contract orders by UTF-16 code unit (ordinal).
        list.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return list;
    }

    private async Task<int> InsertAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        await using var insert = await database.CommandAsync(
            "INSERT INTO {s}.campaigns (id, name, created_at, version, data) VALUES (@id, @name, @created, @version, @data) ON CONFLICT (id) DO NOTHING;",
            cancellationToken).ConfigureAwait(false);
        insert.WithText("id", campaign.Id).WithText("name", campaign.Name).With("created", campaign.CreatedAt)
            .With("version", campaign.Version).WithText("data", CampaignJson.Serialize(campaign));
        return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Campaign Read(NpgsqlDataReader reader) => CampaignJson.Apply(
        new Campaign
        {
            Id = reader.GetString(0),
            Name = reader.NullableString(1),
            CreatedAt = reader.Instant(2),
            Version = reader.GetInt64(3),
        },
        reader.NullableString(4));
}

/// <summary>Runs in <c>runs</c>: the record as a jsonb document, with campaign, status and times as columns.</summary>
internal sealed class PostgreSqlRunRepository(PostgreSqlDatabase database) : IRunRepository
{
    public async ValueTask<bool> SaveAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);

        // One statement, so the row lock decides against a concurrent takeover: a takeover is never undone by a later save, the
        // record keeps the run that took it over, and the caller learns whether the stored record names another run.
        await using var command = await database.CommandAsync(
            """
            INSERT INTO {s}.runs AS r (id, campaign_id, status, started_at, completed_at, data)
            VALUES (@id, @campaign, @status, @started, @completed, @data)
            ON CONFLICT (id) DO UPDATE SET campaign_id = excluded.campaign_id, status = excluded.status,
                started_at = excluded.started_at, completed_at = excluded.completed_at,
                data = CASE WHEN r.data -> 'TakenOverBy' IS NOT NULL
                            THEN jsonb_set(excluded.data, '{TakenOverBy}', r.data -> 'TakenOverBy')
                            ELSE excluded.data END
            RETURNING data ->> 'TakenOverBy';
            """,
            cancellationToken).ConfigureAwait(false);
        command.With("id", run.RunId).WithText("campaign", run.CampaignId).WithText("status", run.Status.ToString())
            .With("started", run.StartedAt).With("completed", run.CompletedAt).WithJson("data", StoreJson.Serialize(run));
        var takenOverBy = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        return takenOverBy is null || (run.TakenOverBy is { } own && Guid.Parse(takenOverBy) == own);
    }

    public async ValueTask<bool> TryTakeOverAsync(Guid runId, Guid takerRunId, DateTimeOffset staleBefore, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (runId == takerRunId)
        {
            return false;
        }

        // The row stays locked from the read to the commit: of several takers, the others wait, then read it taken over.
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = database.Sql("SELECT data FROM {s}.runs WHERE id = @id FOR UPDATE;");
        command.With("id", runId);
        var stored = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? StoreJson.DeserializeRun(json) : null;
        if (stored is null || !stored.IsInterrupted(staleBefore))
        {
            return false;
        }

        var taken = stored with { TakenOverBy = takerRunId, UpdatedAt = now };
        command.Parameters.Clear();
        command.CommandText = database.Sql("UPDATE {s}.runs SET data = @data WHERE id = @id;");
        command.With("id", runId).WithJson("data", StoreJson.Serialize(taken));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<RunRecord?> GetAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync("SELECT data FROM {s}.runs WHERE id = @id;", cancellationToken).ConfigureAwait(false);
        command.With("id", runId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? StoreJson.DeserializeRun(json) : null;
    }

    public async ValueTask<IReadOnlyList<RunRecord>> ListAsync(string campaignId, CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync(
            "SELECT data FROM {s}.runs WHERE campaign_id = @campaign ORDER BY started_at DESC, id DESC;", cancellationToken).ConfigureAwait(false);
        command.WithText("campaign", campaignId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<RunRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(StoreJson.DeserializeRun(reader.GetString(0)));
        }

        return list;
    }
}

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

/// <summary>
/// The outbox in <c>outbox</c>; a unique index on (lead, sequence, step) makes a reservation atomic. Reads, reservations and
/// sends made by concurrent workers are coalesced (<see cref="PostgreSqlCoalescer{TRequest, TResult}"/>) into one statement
/// per group.
/// </summary>
internal sealed class PostgreSqlEmailOutbox : IEmailOutbox
{
    private const string Columns = "lead_id, sequence, step, campaign_id, recipient, subject, status, attempts, created_at, sent_at, provider_message_id, error, claim_owner, claim_expires_at";
    private const string KeyFilter = "lead_id = @lead AND sequence = @sequence AND step = @step";

    private const string ReserveSql = """
        INSERT INTO {s}.outbox (lead_id, sequence, step, campaign_id, recipient, subject, status, attempts, created_at, sent_at, provider_message_id, error, claim_owner, claim_expires_at)
        VALUES (@lead, @sequence, @step, @campaign, @to, @subject, @status, @attempts, @created, @sent, @provider, @error, @owner, @expires)
        ON CONFLICT (lead_id, sequence, step) DO NOTHING
        RETURNING 
        """ + Columns + ";";

    // Sorted by key, so two statements racing on the same keys take them in the same order.
    private const string ReserveManySql = """
        INSERT INTO {s}.outbox (lead_id, sequence, step, campaign_id, recipient, subject, status, attempts, created_at, sent_at, provider_message_id, error, claim_owner, claim_expires_at)
        SELECT * FROM unnest(@leads, @sequences, @steps, @campaigns, @tos, @subjects, @statuses, @attempts, @created, @sent, @providers, @errors, @owners, @expires)
            AS t(lead_id, sequence, step, campaign_id, recipient, subject, status, attempts, created_at, sent_at, provider_message_id, error, claim_owner, claim_expires_at)
        ORDER BY lead_id, sequence, step
        ON CONFLICT (lead_id, sequence, step) DO NOTHING
        RETURNING 
        """ + Columns + ";";

    private const string MarkSentSql =
        "UPDATE {s}.outbox SET status = 'Sent', sent_at = @sent, provider_message_id = @provider, attempts = attempts + 1, error = NULL WHERE "
        + KeyFilter + ";";

    private const string MarkSentManySql = """
        UPDATE {s}.outbox AS o
        SET status = 'Sent', sent_at = k.sent_at, provider_message_id = k.provider, attempts = o.attempts + 1, error = NULL
        FROM unnest(@leads, @sequences, @steps, @sent, @providers) AS k(lead_id, sequence, step, sent_at, provider)
        WHERE o.lead_id = ANY(@leads) AND o.lead_id = k.lead_id AND o.sequence = k.sequence AND o.step = k.step
        RETURNING o.lead_id, o.sequence, o.step;
        """;

    private readonly PostgreSqlDatabase _database;
    private readonly PostgreSqlCoalescer<OutboxKey, OutboxEntry?> _gets;
    private readonly PostgreSqlCoalescer<OutboxEntry, OutboxEntry?> _reservations;
    private readonly PostgreSqlCoalescer<SentMark, bool> _sends;

    public PostgreSqlEmailOutbox(PostgreSqlDatabase database)
    {
        _database = database;
        _gets = database.Coalesce<OutboxKey, OutboxEntry?>(GetManyAsync, GetAloneAsync);
        _reservations = database.Coalesce<OutboxEntry, OutboxEntry?>(ReserveManyAsync, ReserveAloneAsync);
        _sends = database.Coalesce<SentMark, bool>(MarkSentManyAsync, MarkSentAloneAsync);
    }

    public async ValueTask<OutboxReservation> ReserveAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _database.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var created = await _reservations.RunAsync(entry).ConfigureAwait(false);
        if (created is not null)
        {
            return new OutboxReservation(true, created);
        }

        // Taken: the insert waited for the holder to commit, so the entry is visible now.
        var stored = await GetAsync(entry.Key, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The outbox entry {entry.Key} vanished right after it was reserved.");
        return new OutboxReservation(false, stored);
    }

    private async Task<OutboxEntry?[]> ReserveManyAsync(List<OutboxEntry> entries)
    {
        // A key asked for twice in the group is reserved by its first call; the later ones find it taken.
        var n = entries.Count;
        var firsts = new List<int>(n);
        var seen = new HashSet<OutboxKey>(n);
        for (var i = 0; i < n; i++)
        {
            if (seen.Add(entries[i].Key))
            {
                firsts.Add(i);
            }
        }

        var m = firsts.Count;
        var leads = new Guid[m];
        var sequences = new string[m];
        var steps = new int[m];
        var campaigns = new string[m];
        var tos = new string[m];
        var subjects = new string[m];
        var statuses = new string[m];
        var attempts = new int[m];
        var created = new DateTimeOffset[m];
        var sent = new DateTimeOffset?[m];
        var providers = new string?[m];
        var errors = new string?[m];
        var owners = new string?[m];
        var expires = new DateTimeOffset?[m];
        for (var j = 0; j < m; j++)
        {
            var e = entries[firsts[j]];
            leads[j] = e.Key.LeadId;
            sequences[j] = e.Key.Sequence;
            steps[j] = e.Key.Step;
            campaigns[j] = e.CampaignId;
            tos[j] = e.To;
            subjects[j] = e.Subject;
            statuses[j] = e.Status.ToString();
            attempts[j] = e.Attempts;
            created[j] = e.CreatedAt.ToUniversalTime();
            sent[j] = e.SentAt?.ToUniversalTime();
            providers[j] = e.ProviderMessageId;
            errors[j] = e.Error;
            owners[j] = e.ClaimOwner;
            expires[j] = e.ClaimExpiresAt?.ToUniversalTime();
        }

        await using var command = await _database.CommandAsync(ReserveManySql, CancellationToken.None).ConfigureAwait(false);
        command.WithArray("leads", NpgsqlDbType.Uuid, leads).WithArray("sequences", NpgsqlDbType.Text, sequences)
            .WithArray("steps", NpgsqlDbType.Integer, steps).WithArray("campaigns", NpgsqlDbType.Text, campaigns)
            .WithArray("tos", NpgsqlDbType.Text, tos).WithArray("subjects", NpgsqlDbType.Text, subjects)
            .WithArray("statuses", NpgsqlDbType.Text, statuses).WithArray("attempts", NpgsqlDbType.Integer, attempts)
            .WithArray("created", NpgsqlDbType.TimestampTz, created).WithArray("sent", NpgsqlDbType.TimestampTz, sent)
            .WithArray("providers", NpgsqlDbType.Text, providers).WithArray("errors", NpgsqlDbType.Text, errors)
            .WithArray("owners", NpgsqlDbType.Text, owners).WithArray("expires", NpgsqlDbType.TimestampTz, expires);
        var stored = new Dictionary<OutboxKey, OutboxEntry>(m);
        await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                var entry = Read(reader);
                stored[entry.Key] = entry;
            }
        }

        var results = new OutboxEntry?[n];
        foreach (var i in firsts)
        {
            results[i] = stored.GetValueOrDefault(entries[i].Key);
        }

        return results;
    }

    private async Task<OutboxEntry?> ReserveAloneAsync(OutboxEntry entry)
    {
        await using var command = await _database.CommandAsync(ReserveSql, CancellationToken.None).ConfigureAwait(false);
        BindKey(command, entry.Key).WithText("campaign", entry.CampaignId).WithText("to", entry.To)
            .WithText("subject", entry.Subject).WithText("status", entry.Status.ToString()).With("attempts", entry.Attempts).With("created", entry.CreatedAt)
            .With("sent", entry.SentAt).WithText("provider", entry.ProviderMessageId).WithText("error", entry.Error)
            .WithText("owner", entry.ClaimOwner).With("expires", entry.ClaimExpiresAt);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        return await reader.ReadAsync().ConfigureAwait(false) ? Read(reader) : null;
    }

    public async ValueTask<OutboxEntry?> TryReclaimAsync(OutboxEntry seen, string owner, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seen);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        await using var command = await _database.CommandAsync(
            "UPDATE {s}.outbox SET status = 'Pending', claim_owner = @owner, claim_expires_at = @expires WHERE " + KeyFilter + """
                 AND status = @seen_status AND claim_owner IS NOT DISTINCT FROM @seen_owner
                 AND (status IN ('Failed', 'DryRun') OR (status = 'Pending' AND (claim_expires_at IS NULL OR claim_expires_at <= @now)))
            RETURNING 
            """ + Columns + ";",
            cancellationToken).ConfigureAwait(false);
        BindKey(command, seen.Key).WithText("owner", owner).With("expires", expiresAt).With("now", now)
            .WithText("seen_status", seen.Status.ToString()).WithText("seen_owner", seen.ClaimOwner);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public async ValueTask<string?> FindSequenceAsync(Guid leadId, CancellationToken cancellationToken = default)
    {
        await using var command = await _database.CommandAsync(
            "SELECT sequence FROM {s}.outbox WHERE lead_id = @lead ORDER BY id LIMIT 1;", cancellationToken).ConfigureAwait(false);
        command.With("lead", leadId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public async ValueTask MarkSentAsync(OutboxKey key, string? providerMessageId, DateTimeOffset sentAt, CancellationToken cancellationToken = default)
    {
        await _database.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (!await _sends.RunAsync(new SentMark(key, providerMessageId, sentAt)).ConfigureAwait(false))
        {
            throw Missing(key);
        }
    }

    private async Task<bool[]> MarkSentManyAsync(List<SentMark> marks)
    {
        // A key marked twice in the group: the later marks run on their own, after the statement, so each counts an attempt.
        var n = marks.Count;
        var firsts = new List<int>(n);
        var again = new List<int>();
        var seen = new HashSet<OutboxKey>(n);
        for (var i = 0; i < n; i++)
        {
            (seen.Add(marks[i].Key) ? firsts : again).Add(i);
        }

        var m = firsts.Count;
        var leads = new Guid[m];
        var sequences = new string[m];
        var steps = new int[m];
        var sent = new DateTimeOffset[m];
        var providers = new string?[m];
        for (var j = 0; j < m; j++)
        {
            var mark = marks[firsts[j]];
            leads[j] = mark.Key.LeadId;
            sequences[j] = mark.Key.Sequence;
            steps[j] = mark.Key.Step;
            sent[j] = mark.SentAt.ToUniversalTime();
            providers[j] = mark.ProviderMessageId;
        }

        var found = new HashSet<OutboxKey>(m);
        await using (var command = await _database.CommandAsync(MarkSentManySql, CancellationToken.None).ConfigureAwait(false))
        {
            command.WithArray("leads", NpgsqlDbType.Uuid, leads).WithArray("sequences", NpgsqlDbType.Text, sequences)
                .WithArray("steps", NpgsqlDbType.Integer, steps).WithArray("sent", NpgsqlDbType.TimestampTz, sent)
                .WithArray("providers", NpgsqlDbType.Text, providers);
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                found.Add(new OutboxKey(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2)));
            }
        }

        var results = new bool[n];
        foreach (var i in firsts)
        {
            results[i] = found.Contains(marks[i].Key);
        }

        foreach (var i in again)
        {
            results[i] = await MarkSentAloneAsync(marks[i]).ConfigureAwait(false);
        }

        return results;
    }

    private async Task<bool> MarkSentAloneAsync(SentMark mark)
    {
        await using var command = await _database.CommandAsync(MarkSentSql, CancellationToken.None).ConfigureAwait(false);
        BindKey(command, mark.Key).With("sent", mark.SentAt).WithText("provider", mark.ProviderMessageId);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false) == 1;
    }

    public async ValueTask MarkFailedAsync(OutboxKey key, string error, CancellationToken cancellationToken = default)
    {
        await using var command = await _database.CommandAsync(
            """
            WITH updated AS (
                UPDATE {s}.outbox SET status = 'Failed', error = @error, attempts = attempts + 1
                WHERE lead_id = @lead AND sequence = @sequence AND step = @step AND status <> 'Sent'
                RETURNING 1
            )
            SELECT EXISTS (SELECT 1 FROM updated) OR EXISTS (SELECT 1 FROM {s}.outbox WHERE lead_id = @lead AND sequence = @sequence AND step = @step);
            """,
            cancellationToken).ConfigureAwait(false);
        BindKey(command, key).WithText("error", error);

        // Nothing changed and nothing found: the key is unknown. Found but not changed: already sent; a late failure is ignored.
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
        {
            throw Missing(key);
        }
    }

    public async ValueTask<OutboxEntry?> GetAsync(OutboxKey key, CancellationToken cancellationToken = default)
    {
        await _database.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return await _gets.RunAsync(key).ConfigureAwait(false);
    }

    private async Task<OutboxEntry?[]> GetManyAsync(List<OutboxKey> keys)
    {
        var n = keys.Count;
        var leads = new Guid[n];
        var sequences = new string[n];
        var steps = new int[n];
        for (var i = 0; i < n; i++)
        {
            (leads[i], sequences[i], steps[i]) = keys[i];
        }

        await using var command = await _database.CommandAsync(
            "SELECT o.* FROM unnest(@leads, @sequences, @steps) AS k(lead_id, sequence, step) CROSS JOIN LATERAL (SELECT " + Columns
            + " FROM {s}.outbox AS x WHERE x.lead_id = k.lead_id AND x.sequence = k.sequence AND x.step = k.step LIMIT 1) AS o;",
            CancellationToken.None).ConfigureAwait(false);
        command.WithArray("leads", NpgsqlDbType.Uuid, leads).WithArray("sequences", NpgsqlDbType.Text, sequences).WithArray("steps", NpgsqlDbType.Integer, steps);
        var found = new Dictionary<OutboxKey, OutboxEntry>(n);
        await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                var entry = Read(reader);
                found[entry.Key] = entry;
            }
        }

        var results = new OutboxEntry?[n];
        for (var i = 0; i < n; i++)
        {
            results[i] = found.GetValueOrDefault(keys[i]);
        }

        return results;
    }

    private async Task<OutboxEntry?> GetAloneAsync(OutboxKey key)
    {
        await using var command = await _database.CommandAsync("SELECT " + Columns + " FROM {s}.outbox WHERE " + KeyFilter + ";", CancellationToken.None).ConfigureAwait(false);
        BindKey(command, key);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        return await reader.ReadAsync().ConfigureAwait(false) ? Read(reader) : null;
    }

    public async ValueTask<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus? status = null, int skip = 0, int take = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        await using var command = await _database.CommandAsync(
            status is null
                ? "SELECT " + Columns + " FROM {s}.outbox ORDER BY id LIMIT @take OFFSET @skip;"
                : "SELECT " + Columns + " FROM {s}.outbox WHERE status = @status ORDER BY id LIMIT @take OFFSET @skip;",
            cancellationToken).ConfigureAwait(false);
        command.With("take", take).With("skip", skip);
        if (status is { } s)
        {
            command.WithText("status", s.ToString());
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<OutboxEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    public async ValueTask<int> RedactAsync(Guid leadId, string replacement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        await using var command = await _database.CommandAsync(
            """
            UPDATE {s}.outbox SET recipient = @value, subject = @value, error = CASE WHEN error IS NULL THEN NULL ELSE @value END
            WHERE lead_id = @lead;
            """,
            cancellationToken).ConfigureAwait(false);
        command.With("lead", leadId).WithText("value", replacement);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlCommand BindKey(NpgsqlCommand command, OutboxKey key) =>
        command.With("lead", key.LeadId).WithText("sequence", key.Sequence).With("step", key.Step);

    private static InvalidOperationException Missing(OutboxKey key) => new($"The outbox holds no entry {key}.");

    private static OutboxEntry Read(NpgsqlDataReader reader) => new()
    {
        Key = new OutboxKey(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2)),
        CampaignId = reader.GetString(3),
        To = reader.GetString(4),
        Subject = reader.GetString(5),
        Status = Enum<OutboxStatus>(reader.GetString(6)),
        Attempts = reader.GetInt32(7),
        CreatedAt = reader.Instant(8),
        SentAt = reader.NullableInstant(9),
        ProviderMessageId = reader.NullableString(10),
        Error = reader.NullableString(11),
        ClaimOwner = reader.NullableString(12),
        ClaimExpiresAt = reader.NullableInstant(13),
    };
}

/// <summary>One <see cref="IEmailOutbox.MarkSentAsync"/> call, as queued for its group.</summary>
internal readonly record struct SentMark(OutboxKey Key, string? ProviderMessageId, DateTimeOffset SentAt);

/// <summary>
/// The suppression list in <c>suppressions</c>, keyed by normalized address. Look-ups made by concurrent workers are coalesced
/// (<see cref="PostgreSqlCoalescer{TRequest, TResult}"/>) into one statement per group.
/// </summary>
internal sealed class PostgreSqlSuppressionList : ISuppressionList
{
    private readonly PostgreSqlDatabase _database;
    private readonly PostgreSqlCoalescer<string, SuppressionEntry?> _lookups;

    public PostgreSqlSuppressionList(PostgreSqlDatabase database)
    {
        _database = database;
        _lookups = database.Coalesce<string, SuppressionEntry?>(GetManyAsync, GetAloneAsync);
    }

    public async ValueTask AddAsync(SuppressionEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var key = LeadIdentity.NormalizeEmail(entry.Email) ?? throw new ArgumentException("The address is empty.", nameof(entry));
        await using var command = await _database.CommandAsync(
            """
            INSERT INTO {s}.suppressions (email, reason, at) VALUES (@email, @reason, @at)
            ON CONFLICT (email) DO UPDATE SET reason = excluded.reason, at = excluded.at;
            """,
            cancellationToken).ConfigureAwait(false);
        command.WithText("email", key).WithText("reason", entry.Reason.ToString()).With("at", entry.At);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<SuppressionEntry?> GetAsync(string email, CancellationToken cancellationToken = default)
    {
        var key = LeadIdentity.NormalizeEmail(email);
        if (key is null)
        {
            return null;
        }

        await _database.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return await _lookups.RunAsync(key).ConfigureAwait(false);
    }

    private async Task<SuppressionEntry?[]> GetManyAsync(List<string> keys)
    {
        await using var command = await _database.CommandAsync("SELECT email, reason, at FROM {s}.suppressions WHERE email = ANY(@emails);", CancellationToken.None)
            .ConfigureAwait(false);
        command.WithArray("emails", NpgsqlDbType.Text, keys.ToArray());
        var found = new Dictionary<string, SuppressionEntry>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                var entry = new SuppressionEntry(reader.GetString(0), Enum<SuppressionReason>(reader.GetString(1)), reader.Instant(2));
                found[entry.Email] = entry;
            }
        }

        var results = new SuppressionEntry?[keys.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = found.GetValueOrDefault(keys[i]);
        }

        return results;
    }

    private async Task<SuppressionEntry?> GetAloneAsync(string key)
    {
        await using var command = await _database.CommandAsync("SELECT reason, at FROM {s}.suppressions WHERE email = @email;", CancellationToken.None).ConfigureAwait(false);
        command.WithText("email", key);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        return await reader.ReadAsync().ConfigureAwait(false)
            ? new SuppressionEntry(key, Enum<SuppressionReason>(reader.GetString(0)), reader.Instant(1))
            : null;
    }

    public async ValueTask<bool> RemoveAsync(string email, CancellationToken cancellationToken = default)
    {
        var key = LeadIdentity.NormalizeEmail(email);
        if (key is null)
        {
            return false;
        }

        await using var command = await _database.CommandAsync("DELETE FROM {s}.suppressions WHERE email = @email;", cancellationToken).ConfigureAwait(false);
        command.WithText("email", key);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<IReadOnlyList<SuppressionEntry>> ListAsync(string? after = null, int take = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);

        // Ordinal order (COLLATE "C"), the same as the other stores, whatever the database's collation.
        await using var command = await _database.CommandAsync(
            """
            SELECT email, reason, at FROM {s}.suppressions
            WHERE @after::text IS NULL OR email COLLATE "C" > @after::text COLLATE "C"
            ORDER BY email COLLATE "C" LIMIT @take;
            """,
            cancellationToken).ConfigureAwait(false);
        command.WithText("after", after).With("take", take);
        var list = new List<SuppressionEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new SuppressionEntry(reader.GetString(0), Enum<SuppressionReason>(reader.GetString(1)), reader.Instant(2)));
        }

        return list;
    }
}
