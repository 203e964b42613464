using Aicmo.Sdk.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>
/// Limit slots in <c>limit_slots</c>, one row per key and slot, shared by every process on the database. A take runs in one
/// transaction: it locks its keys (transaction-scoped advisory locks, taken in one order so two takes never wait on each other
/// in a cycle), then, in a statement that sees everything committed before the locks were granted, reads each window and
/// inserts its slots only when every limit has room.
/// </summary>
internal sealed class PostgreSqlLimitCounters(PostgreSqlDatabase database) : ILimitCounters
{
    // Per limit, the slot that must leave the window before another fits (the max-th newest in it), or null when there is room;
    // the slots are inserted only when no limit is full.
    private const string TakeSql =
        """
        WITH l AS (
            SELECT k, m, st, i FROM unnest(@keys, @maxes, @starts) WITH ORDINALITY AS t(k, m, st, i)
        ), f AS (
            SELECT l.i, (SELECT s.taken_at FROM {s}.limit_slots s
                         WHERE s.scope = l.k AND s.taken_at > l.st
                         ORDER BY s.taken_at DESC OFFSET l.m - 1 LIMIT 1) AS frees
            FROM l
        ), ins AS (
            INSERT INTO {s}.limit_slots (scope, taken_at)
            SELECT DISTINCT l.k, @now FROM l
            WHERE NOT EXISTS (SELECT 1 FROM f WHERE f.frees IS NOT NULL)
        )
        SELECT i, frees FROM f WHERE frees IS NOT NULL;
        """;

    public async ValueTask<LimitOutcome> TryTakeAsync(ReadOnlyMemory<RollingLimit> limits, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        LimitChecks.Validate(limits.Span);
        var n = limits.Length;
        var keys = new string[n];
        var maxes = new int[n];
        var starts = new DateTimeOffset[n];
        for (var i = 0; i < n; i++)
        {
            var limit = limits.Span[i];
            (keys[i], maxes[i], starts[i]) = (limit.Key, limit.Max, (now - limit.Window).ToUniversalTime());
        }

        var locks = keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TakeAsync(locks, keys, maxes, starts, limits, now, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgreSqlValues.DeadlockDetected && attempt < 5)
            {
                // Only two keys whose 64-bit hashes collide can lock out of order; the server broke the cycle, so take again.
            }
        }
    }

    private async Task<LimitOutcome> TakeAsync(string[] locks, string[] keys, int[] maxes, DateTimeOffset[] starts,
        ReadOnlyMemory<RollingLimit> limits, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var key in locks)
        {
            var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0));");
            lockCommand.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = key });
            batch.BatchCommands.Add(lockCommand);
        }

        // A statement of its own: under READ COMMITTED it reads what was committed before the locks above were granted.
        var take = new NpgsqlBatchCommand(database.Sql(TakeSql));
        take.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys });
        take.Parameters.Add(new NpgsqlParameter("maxes", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = maxes });
        take.Parameters.Add(new NpgsqlParameter("starts", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = starts });
        take.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", NpgsqlDbType.TimestampTz) { TypedValue = now.ToUniversalTime() });
        batch.BatchCommands.Add(take);

        var retryAt = DateTimeOffset.MinValue;
        var exceeded = -1;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            // The lock statements' rows come first.
            do
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (reader.FieldCount == 2)
                    {
                        var index = (int)reader.GetInt64(0) - 1;
                        var frees = reader.Instant(1) + limits.Span[index].Window;
                        if (frees > retryAt || (frees == retryAt && index < exceeded))
                        {
                            (retryAt, exceeded) = (frees, index);
                        }
                    }
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return exceeded >= 0 ? new LimitOutcome(false, exceeded, retryAt) : new LimitOutcome(true, -1, now);
    }

    public async ValueTask<int> CountAsync(string key, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        LimitChecks.ValidateKey(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        await using var command = await database.CommandAsync(
            "SELECT count(*) FROM {s}.limit_slots WHERE scope = @key AND taken_at > @start;", cancellationToken).ConfigureAwait(false);
        command.WithText("key", key).With("start", now - window);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async ValueTask<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync(
            "DELETE FROM {s}.limit_slots WHERE taken_at < @before;", cancellationToken).ConfigureAwait(false);
        command.With("before", before);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
