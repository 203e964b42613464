using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Microsoft.Data.Sqlite;
using static Aicmo.Sdk.Sqlite.SqliteValues;

namespace Aicmo.Sdk.Sqlite;

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
