using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Npgsql;
using NpgsqlTypes;
using static Aicmo.Sdk.PostgreSql.PostgreSqlValues;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>
/// The scheduler's schedules, leases and results in <c>job_schedules</c>, <c>job_leases</c> and <c>job_results</c>, shared by
/// every host. Every time decision uses the server's clock (<c>now()</c>): a lease's expiry is computed and compared there, so
/// hosts whose clocks disagree still agree on who holds it. Taking a lease locks its row, so two hosts never both take it.
/// </summary>
internal sealed class PostgreSqlJobStore(PostgreSqlDatabase database) : IJobStore
{
    public async ValueTask<DateTimeOffset> GetUtcNowAsync(CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync("SELECT now();", cancellationToken).ConfigureAwait(false);
        var now = (DateTime)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new DateTimeOffset(DateTime.SpecifyKind(now, DateTimeKind.Utc));
    }

    public async ValueTask<bool> TryAddScheduleAsync(JobSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        await using var command = await database.CommandAsync(
            "INSERT INTO {s}.job_schedules (id, campaign_id, version, data) VALUES (@id, @campaign, @version, @data) ON CONFLICT (id) DO NOTHING;",
            cancellationToken).ConfigureAwait(false);
        command.WithText("id", schedule.Id).WithText("campaign", schedule.CampaignId).With("version", schedule.Version).WithJson("data", JobStoreJson.Serialize(schedule));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<bool> UpdateScheduleAsync(JobSchedule schedule, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        await using var command = await database.CommandAsync(
            "UPDATE {s}.job_schedules SET campaign_id = @campaign, version = @version, data = @data WHERE id = @id AND version = @expected;",
            cancellationToken).ConfigureAwait(false);
        command.WithText("id", schedule.Id).WithText("campaign", schedule.CampaignId).With("version", schedule.Version)
            .WithJson("data", JobStoreJson.Serialize(schedule)).With("expected", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<JobSchedule?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync("SELECT data FROM {s}.job_schedules WHERE id = @id;", cancellationToken).ConfigureAwait(false);
        command.WithText("id", scheduleId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? JobStoreJson.DeserializeSchedule(json) : null;
    }

    public async ValueTask<IReadOnlyList<JobSchedule>> ListSchedulesAsync(string? campaignId = null, CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync(
            campaignId is null ? "SELECT data FROM {s}.job_schedules ORDER BY id;" : "SELECT data FROM {s}.job_schedules WHERE campaign_id = @campaign ORDER BY id;",
            cancellationToken).ConfigureAwait(false);
        if (campaignId is not null)
        {
            command.WithText("campaign", campaignId);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<JobSchedule>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(JobStoreJson.DeserializeSchedule(reader.GetString(0)));
        }

        return list;
    }

    public async ValueTask<bool> DeleteScheduleAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync("DELETE FROM {s}.job_schedules WHERE id = @id;", cancellationToken).ConfigureAwait(false);
        command.WithText("id", scheduleId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<JobLease?> TryAcquireLeaseAsync(string campaignId, string jobKind, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(campaignId);
        ArgumentException.ThrowIfNullOrEmpty(jobKind);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The row exists before it is locked, so a first lease is decided by the row lock like every later one.
        await using (var ensure = Command(connection, transaction, """
            INSERT INTO {s}.job_leases (campaign_id, job_kind, owner, token, expires_at, run_id, released)
            VALUES (@campaign, @kind, '', 0, '-infinity', NULL, true) ON CONFLICT (campaign_id, job_kind) DO NOTHING;
            """))
        {
            ensure.WithText("campaign", campaignId).WithText("kind", jobKind);
            await ensure.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        Guid? interrupted;
        await using (var current = Command(connection, transaction, """
            SELECT expires_at > now(), run_id, released FROM {s}.job_leases WHERE campaign_id = @campaign AND job_kind = @kind FOR UPDATE;
            """))
        {
            current.WithText("campaign", campaignId).WithText("kind", jobKind);
            await using var reader = await current.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (reader.GetBoolean(0))
            {
                return null;
            }

            interrupted = reader.GetBoolean(2) || reader.IsDBNull(1) ? null : reader.GetGuid(1);
        }

        JobLease lease;
        await using (var take = Command(connection, transaction, """
            UPDATE {s}.job_leases SET owner = @owner, token = token + 1, expires_at = now() + @duration, run_id = NULL, released = false
            WHERE campaign_id = @campaign AND job_kind = @kind RETURNING owner, token, expires_at, run_id, released;
            """))
        {
            take.WithText("campaign", campaignId).WithText("kind", jobKind).WithText("owner", owner).With("duration", duration);
            await using var reader = await take.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            lease = ReadLease(reader, campaignId, jobKind) with { InterruptedRunId = interrupted };
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return lease;
    }

    public async ValueTask<JobLease?> RenewLeaseAsync(JobLease lease, TimeSpan duration, Guid? runId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var command = await database.CommandAsync(
            """
            UPDATE {s}.job_leases SET expires_at = now() + @duration, run_id = COALESCE(@run, run_id)
            WHERE campaign_id = @campaign AND job_kind = @kind AND token = @token AND NOT released RETURNING owner, token, expires_at, run_id, released;
            """,
            cancellationToken).ConfigureAwait(false);
        command.WithText("campaign", lease.CampaignId).WithText("kind", lease.JobKind).With("token", lease.FencingToken).With("duration", duration);
        if (runId is { } run)
        {
            command.With("run", run);
        }
        else
        {
            command.WithNull("run", NpgsqlDbType.Uuid);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadLease(reader, lease.CampaignId, lease.JobKind) : null;
    }

    public async ValueTask<bool> ReleaseLeaseAsync(JobLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var command = await database.CommandAsync(
            """
            UPDATE {s}.job_leases SET expires_at = now(), run_id = NULL, released = true
            WHERE campaign_id = @campaign AND job_kind = @kind AND token = @token AND NOT released;
            """,
            cancellationToken).ConfigureAwait(false);
        command.WithText("campaign", lease.CampaignId).WithText("kind", lease.JobKind).With("token", lease.FencingToken);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<JobLease?> GetLeaseAsync(string campaignId, string jobKind, CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync(
            "SELECT owner, token, expires_at, run_id, released FROM {s}.job_leases WHERE campaign_id = @campaign AND job_kind = @kind AND token > 0;", cancellationToken).ConfigureAwait(false);
        command.WithText("campaign", campaignId).WithText("kind", jobKind);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadLease(reader, campaignId, jobKind) : null;
    }

    public async ValueTask<bool> AppendResultAsync(JobResult result, JobLease? fence = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);

        // FOR SHARE waits for a takeover being committed, then sees its new token: a result is never written past its successor.
        await using var command = await database.CommandAsync(
            fence is null
                ? """
                  INSERT INTO {s}.job_results (id, campaign_id, schedule_id, scheduled_at, attempt, completed_at, data)
                  VALUES (@id, @campaign, @schedule, @scheduled, @attempt, @completed, @data);
                  """
                : """
                  INSERT INTO {s}.job_results (id, campaign_id, schedule_id, scheduled_at, attempt, completed_at, data)
                  SELECT @id, @campaign, @schedule, @scheduled, @attempt, @completed, @data
                  WHERE EXISTS (SELECT 1 FROM {s}.job_leases WHERE campaign_id = @fence_campaign AND job_kind = @fence_kind AND token = @token FOR SHARE);
                  """,
            cancellationToken).ConfigureAwait(false);
        command.With("id", result.Id).WithText("campaign", result.CampaignId).WithText("schedule", result.ScheduleId)
            .With("scheduled", result.ScheduledAt).With("attempt", result.Attempt).With("completed", result.CompletedAt)
            .WithJson("data", JobStoreJson.Serialize(result));
        if (fence is not null)
        {
            command.WithText("fence_campaign", fence.CampaignId).WithText("fence_kind", fence.JobKind).With("token", fence.FencingToken);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<IReadOnlyList<JobResult>> QueryResultsAsync(JobResultQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var command = await database.CommandAsync(
            query.ScheduleId is null
                ? "SELECT data FROM {s}.job_results WHERE campaign_id = @campaign ORDER BY scheduled_at DESC, attempt DESC, completed_at DESC, id DESC LIMIT @take OFFSET @skip;"
                : "SELECT data FROM {s}.job_results WHERE campaign_id = @campaign AND schedule_id = @schedule ORDER BY scheduled_at DESC, attempt DESC, completed_at DESC, id DESC LIMIT @take OFFSET @skip;",
            cancellationToken).ConfigureAwait(false);
        command.WithText("campaign", query.CampaignId).With("take", query.Take).With("skip", query.Skip);
        if (query.ScheduleId is not null)
        {
            command.WithText("schedule", query.ScheduleId);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<JobResult>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(JobStoreJson.DeserializeResult(reader.GetString(0)));
        }

        return list;
    }

    public async ValueTask AddRetryAsync(PlannedRetry retry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(retry);
        await using var command = await database.CommandAsync(
            "INSERT INTO {s}.job_retries (id, schedule_id, due_at, data) VALUES (@id, @schedule, @due, @data) ON CONFLICT (id) DO NOTHING;",
            cancellationToken).ConfigureAwait(false);
        command.With("id", retry.Id).WithText("schedule", retry.ScheduleId).With("due", retry.DueAt).WithJson("data", JobStoreJson.Serialize(retry));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<PlannedRetry>> ListRetriesAsync(string? scheduleId = null, CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync(
            scheduleId is null
                ? "SELECT data FROM {s}.job_retries ORDER BY due_at, id;"
                : "SELECT data FROM {s}.job_retries WHERE schedule_id = @schedule ORDER BY due_at, id;",
            cancellationToken).ConfigureAwait(false);
        if (scheduleId is not null)
        {
            command.WithText("schedule", scheduleId);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<PlannedRetry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(JobStoreJson.DeserializeRetry(reader.GetString(0)));
        }

        return list;
    }

    public async ValueTask<bool> TryTakeRetryAsync(Guid retryId, CancellationToken cancellationToken = default)
    {
        // One DELETE: of several hosts taking the same retry, the row lock lets exactly one delete it.
        await using var command = await database.CommandAsync("DELETE FROM {s}.job_retries WHERE id = @id;", cancellationToken).ConfigureAwait(false);
        command.With("id", retryId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<int> DeleteResultsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync("DELETE FROM {s}.job_results WHERE completed_at < @cutoff;", cancellationToken).ConfigureAwait(false);
        command.With("cutoff", cutoff);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql) =>
        new(database.Sql(sql), connection, transaction);

    private static JobLease ReadLease(NpgsqlDataReader reader, string campaignId, string jobKind) => new()
    {
        CampaignId = campaignId,
        JobKind = jobKind,
        Owner = reader.GetString(0),
        FencingToken = reader.GetInt64(1),
        ExpiresAt = reader.Instant(2),
        RunId = reader.IsDBNull(3) ? null : reader.GetGuid(3),
    };
}
