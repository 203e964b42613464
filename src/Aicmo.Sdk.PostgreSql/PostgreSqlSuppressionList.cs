using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Npgsql;
using NpgsqlTypes;
using static Aicmo.Sdk.PostgreSql.PostgreSqlValues;

namespace Aicmo.Sdk.PostgreSql;

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
