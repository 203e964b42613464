using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Sqlite;

/// <summary>
/// Limit slots in <c>aicmo_limit_slots</c>, one row per key and slot. A take reads the windows and inserts its slots in one
/// write transaction (<c>BEGIN IMMEDIATE</c>), so every process on the database file sees the limits as one.
/// </summary>
internal sealed class SqliteLimitCounters(SqliteDatabase database) : ILimitCounters
{
    private const string CountSql = "SELECT count(*) FROM aicmo_limit_slots WHERE scope = $key AND taken_at > $start;";

    // The slot that must leave the window before another fits: the max-th newest in it.
    private const string FreesSql = "SELECT taken_at FROM aicmo_limit_slots WHERE scope = $key AND taken_at > $start ORDER BY taken_at DESC LIMIT 1 OFFSET $skip;";

    public ValueTask<LimitOutcome> TryTakeAsync(ReadOnlyMemory<RollingLimit> limits, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        LimitChecks.Validate(limits.Span);
        var at = now.UtcTicks;
        return database.WriteAsync(
            w =>
            {
                var span = limits.Span;
                var retryAt = long.MinValue;
                var exceeded = -1;
                for (var i = 0; i < span.Length; i++)
                {
                    var limit = span[i];
                    var start = at - limit.Window.Ticks;
                    if (w.Command(FreesSql).With("$key", limit.Key).With("$start", start).With("$skip", limit.Max - 1).ExecuteScalar() is long oldest &&
                        oldest + limit.Window.Ticks > retryAt)
                    {
                        retryAt = oldest + limit.Window.Ticks;
                        exceeded = i;
                    }
                }

                if (exceeded >= 0)
                {
                    return new LimitOutcome(false, exceeded, new DateTimeOffset(retryAt, TimeSpan.Zero));
                }

                for (var i = 0; i < span.Length; i++)
                {
                    if (!Repeats(span, i))
                    {
                        w.Command("INSERT INTO aicmo_limit_slots (scope, taken_at) VALUES ($key, $at);").With("$key", span[i].Key).With("$at", at).ExecuteNonQuery();
                    }
                }

                return new LimitOutcome(true, -1, now);
            },
            cancellationToken,
            atomic: true);
    }

    public ValueTask<int> CountAsync(string key, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        LimitChecks.ValidateKey(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        return database.ReadAsync(
            r => (int)(long)r.Command(CountSql).With("$key", key).With("$start", now.UtcTicks - window.Ticks).ExecuteScalar()!,
            cancellationToken);
    }

    public ValueTask<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        database.WriteAsync(
            w => (long)w.Command("DELETE FROM aicmo_limit_slots WHERE taken_at < $before;").With("$before", before.UtcTicks).ExecuteNonQuery(),
            cancellationToken);

    // A key named twice (per hour and per day) takes one slot.
    private static bool Repeats(ReadOnlySpan<RollingLimit> limits, int index)
    {
        for (var j = 0; j < index; j++)
        {
            if (string.Equals(limits[j].Key, limits[index].Key, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
