using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Npgsql;
using NpgsqlTypes;
using static Aicmo.Sdk.PostgreSql.PostgreSqlValues;

namespace Aicmo.Sdk.PostgreSql;

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
