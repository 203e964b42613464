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

    private readonly PostgreSqlDatabase _database;
    private readonly PostgreSqlCoalescer<Lead, bool> _adds;
    private readonly PostgreSqlCoalescer<LeadWrite, UpdateOutcome> _updates;
    private readonly PostgreSqlCoalescer<LeadWrite, UpdateOutcome> _writes;

    public PostgreSqlLeadRepository(PostgreSqlDatabase database)
    {
        _database = database;
        _adds = _database.Coalesce<Lead, bool>(AddGroupAsync, lead => TryAddAloneAsync(lead, CancellationToken.None));
        _updates = _database.Coalesce<LeadWrite, UpdateOutcome>(writes => WriteGroupAsync(writes, UpdateAloneAsync), UpdateAloneAsync);
        _writes = _database.Coalesce<LeadWrite, UpdateOutcome>(writes => WriteGroupAsync(writes, WriteAloneAsync), WriteAloneAsync);
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
            PostgreSqlAuditEvents.Bind(command, events);
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

    public async ValueTask<Lead?> GetAsync(Guid leadId, CancellationToken cancellationToken = default)
    {
        await using var command = await _database.CommandAsync("SELECT data FROM {s}.leads WHERE id = @id;", cancellationToken).ConfigureAwait(false);
        command.With("id", leadId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? StoreJson.DeserializeLead(json) : null;
    }

    public async ValueTask<IReadOnlyList<Lead?>> GetManyAsync(IReadOnlyList<Guid> leadIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leadIds);
        var leads = new Lead?[leadIds.Count];
        if (leads.Length == 0)
        {
            return leads;
        }

        var ids = new Guid[leads.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = leadIds[i];
        }

        // One query for the batch; the rows come back in any order, so they are matched to the ids by id.
        var found = new Dictionary<Guid, string>(ids.Length);
        await using (var command = await _database.CommandAsync("SELECT id, data FROM {s}.leads WHERE id = ANY(@ids);", cancellationToken).ConfigureAwait(false))
        {
            command.WithArray("ids", NpgsqlDbType.Uuid, ids);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found[reader.GetGuid(0)] = reader.GetString(1);
            }
        }

        for (var i = 0; i < leads.Length; i++)
        {
            leads[i] = found.TryGetValue(ids[i], out var json) ? StoreJson.DeserializeLead(json) : null;
        }

        return leads;
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
