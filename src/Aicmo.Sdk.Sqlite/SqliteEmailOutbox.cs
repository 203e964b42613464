using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Microsoft.Data.Sqlite;
using static Aicmo.Sdk.Sqlite.SqliteValues;

namespace Aicmo.Sdk.Sqlite;

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
