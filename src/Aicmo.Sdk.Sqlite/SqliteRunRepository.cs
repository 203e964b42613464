using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Microsoft.Data.Sqlite;
using static Aicmo.Sdk.Sqlite.SqliteValues;

namespace Aicmo.Sdk.Sqlite;

/// <summary>Runs in <c>aicmo_runs</c>: the record as a JSON document, with campaign, status and times as columns.</summary>
internal sealed class SqliteRunRepository(SqliteDatabase database) : IRunRepository
{
    private const string UpsertSql = """
        INSERT INTO aicmo_runs (id, campaign_id, status, started_at, completed_at, data)
        VALUES ($id, $campaign, $status, $started, $completed, $data)
        ON CONFLICT (id) DO UPDATE SET campaign_id = excluded.campaign_id, status = excluded.status,
            started_at = excluded.started_at, completed_at = excluded.completed_at, data = excluded.data;
        """;

    // Both read the stored record and write inside the write transaction, which holds the database's write lock (BEGIN
    // IMMEDIATE): no other process or connection can change the record in between, so each is a compare-and-set.
    public ValueTask<bool> SaveAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return database.WriteAsync(
            w =>
            {
                // A takeover is never undone by a later save: the record keeps the run that took it over.
                var kept = Read(w, run.RunId) is { TakenOverBy: { } by } && by != run.TakenOverBy ? run with { TakenOverBy = by } : run;
                Upsert(w, kept);
                return ReferenceEquals(kept, run);
            },
            cancellationToken,
            atomic: true);
    }

    public ValueTask<bool> TryTakeOverAsync(Guid runId, Guid takerRunId, DateTimeOffset staleBefore, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.WriteAsync(
            w =>
            {
                if (runId == takerRunId || Read(w, runId) is not { } stored || !stored.IsInterrupted(staleBefore))
                {
                    return false;
                }

                Upsert(w, stored with { TakenOverBy = takerRunId, UpdatedAt = now });
                return true;
            },
            cancellationToken,
            atomic: true);

    private static RunRecord? Read(WriteContext w, Guid runId)
    {
        var command = w.Command("SELECT data FROM aicmo_runs WHERE id = $id;").With("$id", Id(runId));
        return command.ExecuteScalar() is string json ? StoreJson.DeserializeRun(json) : null;
    }

    private static void Upsert(WriteContext w, RunRecord run) =>
        w.Command(UpsertSql)
            .With("$id", Id(run.RunId)).With("$campaign", run.CampaignId).With("$status", run.Status.ToString())
            .With("$started", Ticks(run.StartedAt)).With("$completed", Ticks(run.CompletedAt)).With("$data", StoreJson.Serialize(run))
            .ExecuteNonQuery();

    public ValueTask<RunRecord?> GetAsync(Guid runId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = "SELECT data FROM aicmo_runs WHERE id = $id;";
                command.With("$id", Id(runId));
                return command.ExecuteScalar() is string json ? StoreJson.DeserializeRun(json) : null;
            },
            cancellationToken);

    public ValueTask<IReadOnlyList<RunRecord>> ListAsync(string campaignId, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<RunRecord>>(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = "SELECT data FROM aicmo_runs WHERE campaign_id = $campaign ORDER BY started_at DESC, id DESC;";
                command.With("$campaign", campaignId);
                using var reader = command.ExecuteReader();
                var list = new List<RunRecord>();
                while (reader.Read())
                {
                    list.Add(StoreJson.DeserializeRun(reader.GetString(0)));
                }

                return list;
            },
            cancellationToken);
}
