using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Npgsql;
using NpgsqlTypes;
using static Aicmo.Sdk.PostgreSql.PostgreSqlValues;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>The compare-and-set updates of leads: one at a time (coalesced into groups), in batches, and erasure.</summary>
internal sealed partial class PostgreSqlLeadRepository
{
    private const string UpdateLeadSql = """
        WITH updated AS (
            UPDATE {s}.leads SET status = @status, version = @version, run_id = @run, updated_at = @updated, data = @data
            WHERE id = @id AND version = @expected AND campaign_id = @campaign AND identity_key = @key
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM updated), l.campaign_id, l.identity_key
        FROM (SELECT 1) AS one LEFT JOIN {s}.leads AS l ON l.id = @id;
        """;

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

    private enum UpdateOutcome
    {
        Refused,
        Applied,
        KeyChanged,
    }

    public async ValueTask<bool> UpdateAsync(Lead lead, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);

        // The lead's audit events are queued without waiting; its new state is stored only once they are.
        await _database.WaitForAuditsAsync(lead.Id).ConfigureAwait(false);
        await _database.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return await _updates.RunAsync(new LeadWrite(new LeadUpdate(lead, expectedVersion), null)).ConfigureAwait(false) switch
        {
            UpdateOutcome.Applied => true,
            UpdateOutcome.KeyChanged => throw new InvalidOperationException("The campaign and identity key of a stored lead cannot change."),
            _ => false,
        };
    }

    // One group of coalesced writes (UpdateAsync's, or UpdateWithEventsAsync's with their events) as one statement. Each write
    // succeeds or fails on its own (autocommit, no rollback for a key change: that write alone is refused). A lead written twice
    // in the group: the later writes run on their own (alone), after the statement, so each is a separate compare-and-set.
    private async Task<UpdateOutcome[]> WriteGroupAsync(List<LeadWrite> writes, Func<LeadWrite, Task<UpdateOutcome>> alone)
    {
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
        var events = firsts.Any(i => writes[i].Events is not null) ? firsts.SelectMany(i => writes[i].Events ?? []).ToArray() : null;
        var results = new UpdateOutcome[n];
        await using (var connection = await _database.OpenAsync(CancellationToken.None).ConfigureAwait(false))
        {
            await ExecuteUpdatesAsync(firsts.Select(i => writes[i].Update).ToArray(), index, results, connection, null, CancellationToken.None, events)
                .ConfigureAwait(false);
        }

        foreach (var i in again)
        {
            results[i] = await alone(writes[i]).ConfigureAwait(false);
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
            PostgreSqlAuditEvents.Bind(command, events);
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

    private async Task<UpdateOutcome> UpdateAloneAsync(LeadWrite write)
    {
        var (lead, expectedVersion) = write.Update;
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
        await using var command = BindErase(await _database.CommandAsync(EraseSql, cancellationToken).ConfigureAwait(false), anonymized, expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
