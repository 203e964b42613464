using Aicmo.Sdk.Storage;
using Microsoft.Data.Sqlite;
using static Aicmo.Sdk.Sqlite.SqliteValues;

namespace Aicmo.Sdk.Sqlite;

/// <summary>Candidates rejected at intake, in <c>aicmo_rejections</c>.</summary>
internal sealed class SqliteRejectionLog(SqliteDatabase database) : IRejectionLog
{
    public ValueTask AppendManyAsync(ReadOnlyMemory<RejectedCandidate> rejections, CancellationToken cancellationToken = default)
    {
        if (rejections.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        return new ValueTask(database.WriteAsync(
            w =>
            {
                foreach (var r in rejections.Span)
                {
                    w.Command("""
                            INSERT INTO aicmo_rejections (run_id, campaign_id, source, position, external_id, reason, at)
                            VALUES ($run, $campaign, $source, $position, $external, $reason, $at);
                            """)
                        .With("$run", Id(r.RunId)).With("$campaign", r.CampaignId).With("$source", r.Source)
                        .With("$position", r.Position).With("$external", r.ExternalId).With("$reason", r.Reason).With("$at", Ticks(r.At))
                        .ExecuteNonQuery();
                }

                return true;
            },
            cancellationToken,
            atomic: true).AsTask());
    }

    public ValueTask<IReadOnlyList<RejectedCandidate>> ListAsync(Guid runId, long afterId = 0, int take = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        return database.ReadAsync<IReadOnlyList<RejectedCandidate>>(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = """
                    SELECT id, run_id, campaign_id, source, position, external_id, reason, at FROM aicmo_rejections
                    WHERE run_id = $run AND id > $after ORDER BY id LIMIT $take;
                    """;
                command.With("$run", Id(runId)).With("$after", afterId).With("$take", take);
                using var reader = command.ExecuteReader();
                var list = new List<RejectedCandidate>();
                while (reader.Read())
                {
                    list.Add(Read(reader));
                }

                return list;
            },
            cancellationToken);
    }

    public ValueTask<long> CountAsync(Guid runId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = "SELECT count(*) FROM aicmo_rejections WHERE run_id = $run;";
                command.With("$run", Id(runId));
                return (long)command.ExecuteScalar()!;
            },
            cancellationToken);

    private static RejectedCandidate Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        RunId = reader.GetGuid(1),
        CampaignId = reader.GetString(2),
        Source = reader.GetString(3),
        Position = NullableString(reader, 4),
        ExternalId = NullableString(reader, 5),
        Reason = reader.GetString(6),
        At = Instant(reader, 7),
    };
}
