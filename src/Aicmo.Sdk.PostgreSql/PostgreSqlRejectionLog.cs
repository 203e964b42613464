using Aicmo.Sdk.Storage;
using NpgsqlTypes;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>Candidates rejected at intake, in <c>rejections</c>; a batch is written with one statement.</summary>
internal sealed class PostgreSqlRejectionLog(PostgreSqlDatabase database) : IRejectionLog
{
    public async ValueTask AppendManyAsync(ReadOnlyMemory<RejectedCandidate> rejections, CancellationToken cancellationToken = default)
    {
        var n = rejections.Length;
        if (n == 0)
        {
            return;
        }

        var runs = new Guid[n];
        var campaigns = new string[n];
        var sources = new string[n];
        var positions = new string?[n];
        var externals = new string?[n];
        var reasons = new string[n];
        var at = new DateTimeOffset[n];
        for (var i = 0; i < n; i++)
        {
            var r = rejections.Span[i];
            (runs[i], campaigns[i], sources[i], positions[i], externals[i], reasons[i], at[i]) =
                (r.RunId, r.CampaignId, r.Source, r.Position, r.ExternalId, r.Reason, r.At.ToUniversalTime());
        }

        await using var command = await database.CommandAsync(
            """
            INSERT INTO {s}.rejections (run_id, campaign_id, source, position, external_id, reason, at)
            SELECT r, c, s, p, e, re, a FROM unnest(@runs, @campaigns, @sources, @positions, @externals, @reasons, @at) WITH ORDINALITY AS t(r, c, s, p, e, re, a, o)
            ORDER BY o;
            """,
            cancellationToken).ConfigureAwait(false);
        command.WithArray("runs", NpgsqlDbType.Uuid, runs).WithArray("campaigns", NpgsqlDbType.Text, campaigns)
            .WithArray("sources", NpgsqlDbType.Text, sources).WithArray("positions", NpgsqlDbType.Text, positions)
            .WithArray("externals", NpgsqlDbType.Text, externals).WithArray("reasons", NpgsqlDbType.Text, reasons)
            .WithArray("at", NpgsqlDbType.TimestampTz, at);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<RejectedCandidate>> ListAsync(Guid runId, long afterId = 0, int take = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        await using var command = await database.CommandAsync(
            """
            SELECT id, run_id, campaign_id, source, position, external_id, reason, at FROM {s}.rejections
            WHERE run_id = @run AND id > @after ORDER BY id LIMIT @take;
            """,
            cancellationToken).ConfigureAwait(false);
        command.With("run", runId).With("after", afterId).With("take", take);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<RejectedCandidate>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new RejectedCandidate
            {
                Id = reader.GetInt64(0),
                RunId = reader.GetGuid(1),
                CampaignId = reader.GetString(2),
                Source = reader.GetString(3),
                Position = reader.NullableString(4),
                ExternalId = reader.NullableString(5),
                Reason = reader.GetString(6),
                At = reader.Instant(7),
            });
        }

        return list;
    }

    public async ValueTask<long> CountAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync("SELECT count(*) FROM {s}.rejections WHERE run_id = @run;", cancellationToken).ConfigureAwait(false);
        command.With("run", runId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
