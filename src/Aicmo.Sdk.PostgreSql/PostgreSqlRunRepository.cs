using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Npgsql;
using NpgsqlTypes;
using static Aicmo.Sdk.PostgreSql.PostgreSqlValues;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>Runs in <c>runs</c>: the record as a jsonb document, with campaign, status and times as columns.</summary>
internal sealed class PostgreSqlRunRepository(PostgreSqlDatabase database) : IRunRepository
{
    public async ValueTask<bool> SaveAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);

        // One statement, so the row lock decides against a concurrent takeover: a takeover is never undone by a later save, the
        // record keeps the run that took it over, and the caller learns whether the stored record names another run.
        await using var command = await database.CommandAsync(
            """
            INSERT INTO {s}.runs AS r (id, campaign_id, status, started_at, completed_at, data)
            VALUES (@id, @campaign, @status, @started, @completed, @data)
            ON CONFLICT (id) DO UPDATE SET campaign_id = excluded.campaign_id, status = excluded.status,
                started_at = excluded.started_at, completed_at = excluded.completed_at,
                data = CASE WHEN r.data -> 'TakenOverBy' IS NOT NULL
                            THEN jsonb_set(excluded.data, '{TakenOverBy}', r.data -> 'TakenOverBy')
                            ELSE excluded.data END
            RETURNING data ->> 'TakenOverBy';
            """,
            cancellationToken).ConfigureAwait(false);
        command.With("id", run.RunId).WithText("campaign", run.CampaignId).WithText("status", run.Status.ToString())
            .With("started", run.StartedAt).With("completed", run.CompletedAt).WithJson("data", StoreJson.Serialize(run));
        var takenOverBy = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        return takenOverBy is null || (run.TakenOverBy is { } own && Guid.Parse(takenOverBy) == own);
    }

    public async ValueTask<bool> TryTakeOverAsync(Guid runId, Guid takerRunId, DateTimeOffset staleBefore, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (runId == takerRunId)
        {
            return false;
        }

        // The row stays locked from the read to the commit: of several takers, the others wait, then read it taken over.
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = database.Sql("SELECT data FROM {s}.runs WHERE id = @id FOR UPDATE;");
        command.With("id", runId);
        var stored = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? StoreJson.DeserializeRun(json) : null;
        if (stored is null || !stored.IsInterrupted(staleBefore))
        {
            return false;
        }

        var taken = stored with { TakenOverBy = takerRunId, UpdatedAt = now };
        command.Parameters.Clear();
        command.CommandText = database.Sql("UPDATE {s}.runs SET data = @data WHERE id = @id;");
        command.With("id", runId).WithJson("data", StoreJson.Serialize(taken));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<RunRecord?> GetAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync("SELECT data FROM {s}.runs WHERE id = @id;", cancellationToken).ConfigureAwait(false);
        command.With("id", runId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? StoreJson.DeserializeRun(json) : null;
    }

    public async ValueTask<IReadOnlyList<RunRecord>> ListAsync(string campaignId, CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync(
            "SELECT data FROM {s}.runs WHERE campaign_id = @campaign ORDER BY started_at DESC, id DESC;", cancellationToken).ConfigureAwait(false);
        command.WithText("campaign", campaignId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<RunRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(StoreJson.DeserializeRun(reader.GetString(0)));
        }

        return list;
    }
}
