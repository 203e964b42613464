using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Microsoft.Data.Sqlite;
using static Aicmo.Sdk.Sqlite.SqliteValues;

namespace Aicmo.Sdk.Sqlite;

/// <summary>
/// The scheduler's schedules, leases and results in <c>aicmo_job_schedules</c>, <c>aicmo_job_leases</c> and <c>aicmo_job_results</c>.
/// Its clock is the process's <see cref="TimeProvider"/>: a SQLite file serves the hosts of one machine, which share that clock.
/// Lease changes are single atomic writes through the database's one writer, so two callers never both take a lease.
/// </summary>
internal sealed class SqliteJobStore(SqliteDatabase database, TimeProvider timeProvider) : IJobStore
{
    public ValueTask<DateTimeOffset> GetUtcNowAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(timeProvider.GetUtcNow());

    public ValueTask<bool> TryAddScheduleAsync(JobSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var data = JobStoreJson.Serialize(schedule);
        return database.WriteAsync(
            w => w.Command("""
                    INSERT INTO aicmo_job_schedules (id, campaign_id, version, data) VALUES ($id, $campaign, $version, $data)
                    ON CONFLICT (id) DO NOTHING;
                    """)
                .With("$id", schedule.Id).With("$campaign", schedule.CampaignId).With("$version", schedule.Version).With("$data", data)
                .ExecuteNonQuery() == 1,
            cancellationToken);
    }

    public ValueTask<bool> UpdateScheduleAsync(JobSchedule schedule, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var data = JobStoreJson.Serialize(schedule);
        return database.WriteAsync(
            w => w.Command("""
                    UPDATE aicmo_job_schedules SET campaign_id = $campaign, version = $version, data = $data
                    WHERE id = $id AND version = $expected;
                    """)
                .With("$id", schedule.Id).With("$campaign", schedule.CampaignId).With("$version", schedule.Version).With("$data", data)
                .With("$expected", expectedVersion)
                .ExecuteNonQuery() == 1,
            cancellationToken);
    }

    public ValueTask<JobSchedule?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = "SELECT data FROM aicmo_job_schedules WHERE id = $id;";
                command.With("$id", scheduleId);
                return command.ExecuteScalar() is string json ? JobStoreJson.DeserializeSchedule(json) : null;
            },
            cancellationToken);

    public ValueTask<IReadOnlyList<JobSchedule>> ListSchedulesAsync(string? campaignId = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<JobSchedule>>(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = campaignId is null
                    ? "SELECT data FROM aicmo_job_schedules ORDER BY id;"
                    : "SELECT data FROM aicmo_job_schedules WHERE campaign_id = $campaign ORDER BY id;";
                command.With("$campaign", campaignId);
                using var reader = command.ExecuteReader();
                var list = new List<JobSchedule>();
                while (reader.Read())
                {
                    list.Add(JobStoreJson.DeserializeSchedule(reader.GetString(0)));
                }

                return list;
            },
            cancellationToken);

    public ValueTask<bool> DeleteScheduleAsync(string scheduleId, CancellationToken cancellationToken = default) =>
        database.WriteAsync(
            w => w.Command("DELETE FROM aicmo_job_schedules WHERE id = $id;").With("$id", scheduleId).ExecuteNonQuery() == 1,
            cancellationToken);

    public ValueTask<JobLease?> TryAcquireLeaseAsync(string campaignId, string jobKind, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(campaignId);
        ArgumentException.ThrowIfNullOrEmpty(jobKind);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return database.WriteAsync<JobLease?>(
            w =>
            {
                var now = timeProvider.GetUtcNow();
                var current = ReadLease(w.Command(LeaseSql).With("$campaign", campaignId).With("$kind", jobKind), campaignId, jobKind, out var released);
                if (current is not null && current.ExpiresAt > now)
                {
                    return null;
                }

                var lease = new JobLease
                {
                    CampaignId = campaignId, JobKind = jobKind, Owner = owner, FencingToken = (current?.FencingToken ?? 0) + 1, ExpiresAt = now + duration,
                };
                w.Command("""
                        INSERT INTO aicmo_job_leases (campaign_id, job_kind, owner, token, expires_at, run_id, released)
                        VALUES ($campaign, $kind, $owner, $token, $expires, NULL, 0)
                        ON CONFLICT (campaign_id, job_kind) DO UPDATE SET owner = excluded.owner, token = excluded.token,
                            expires_at = excluded.expires_at, run_id = NULL, released = 0;
                        """)
                    .With("$campaign", campaignId).With("$kind", jobKind).With("$owner", owner).With("$token", lease.FencingToken)
                    .With("$expires", Ticks(lease.ExpiresAt))
                    .ExecuteNonQuery();
                return lease with { InterruptedRunId = released ? null : current?.RunId };
            },
            cancellationToken,
            atomic: true);
    }

    public ValueTask<JobLease?> RenewLeaseAsync(JobLease lease, TimeSpan duration, Guid? runId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return database.WriteAsync<JobLease?>(
            w =>
            {
                var expires = timeProvider.GetUtcNow() + duration;
                var changed = w.Command("""
                        UPDATE aicmo_job_leases SET expires_at = $expires, run_id = COALESCE($run, run_id)
                        WHERE campaign_id = $campaign AND job_kind = $kind AND token = $token AND released = 0;
                        """)
                    .With("$campaign", lease.CampaignId).With("$kind", lease.JobKind).With("$token", lease.FencingToken)
                    .With("$expires", Ticks(expires)).With("$run", runId is { } r ? Id(r) : null)
                    .ExecuteNonQuery();
                return changed == 1 ? lease with { ExpiresAt = expires, RunId = runId ?? lease.RunId, InterruptedRunId = null } : null;
            },
            cancellationToken);
    }

    public ValueTask<bool> ReleaseLeaseAsync(JobLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return database.WriteAsync(
            w => w.Command("""
                    UPDATE aicmo_job_leases SET expires_at = $now, run_id = NULL, released = 1
                    WHERE campaign_id = $campaign AND job_kind = $kind AND token = $token AND released = 0;
                    """)
                .With("$campaign", lease.CampaignId).With("$kind", lease.JobKind).With("$token", lease.FencingToken)
                .With("$now", Ticks(timeProvider.GetUtcNow()))
                .ExecuteNonQuery() == 1,
            cancellationToken);
    }

    public ValueTask<JobLease?> GetLeaseAsync(string campaignId, string jobKind, CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = LeaseSql;
                return ReadLease(command.With("$campaign", campaignId).With("$kind", jobKind), campaignId, jobKind, out _);
            },
            cancellationToken);

    public ValueTask<bool> AppendResultAsync(JobResult result, JobLease? fence = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        var data = JobStoreJson.Serialize(result);
        return database.WriteAsync(
            w =>
            {
                var command = w.Command(fence is null
                    ? """
                      INSERT INTO aicmo_job_results (id, campaign_id, schedule_id, scheduled_at, attempt, completed_at, data)
                      VALUES ($id, $campaign, $schedule, $scheduled, $attempt, $completed, $data);
                      """
                    : """
                      INSERT INTO aicmo_job_results (id, campaign_id, schedule_id, scheduled_at, attempt, completed_at, data)
                      SELECT $id, $campaign, $schedule, $scheduled, $attempt, $completed, $data
                      WHERE EXISTS (SELECT 1 FROM aicmo_job_leases WHERE campaign_id = $fenceCampaign AND job_kind = $fenceKind AND token = $token);
                      """);
                command.With("$id", Id(result.Id)).With("$campaign", result.CampaignId).With("$schedule", result.ScheduleId)
                    .With("$scheduled", Ticks(result.ScheduledAt)).With("$attempt", result.Attempt).With("$completed", Ticks(result.CompletedAt))
                    .With("$data", data);
                if (fence is not null)
                {
                    command.With("$fenceCampaign", fence.CampaignId).With("$fenceKind", fence.JobKind).With("$token", fence.FencingToken);
                }

                return command.ExecuteNonQuery() == 1;
            },
            cancellationToken);
    }

    public ValueTask<IReadOnlyList<JobResult>> QueryResultsAsync(JobResultQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return database.ReadAsync<IReadOnlyList<JobResult>>(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = query.ScheduleId is null
                    ? "SELECT data FROM aicmo_job_results WHERE campaign_id = $campaign ORDER BY scheduled_at DESC, attempt DESC, completed_at DESC, id DESC LIMIT $take OFFSET $skip;"
                    : "SELECT data FROM aicmo_job_results WHERE campaign_id = $campaign AND schedule_id = $schedule ORDER BY scheduled_at DESC, attempt DESC, completed_at DESC, id DESC LIMIT $take OFFSET $skip;";
                command.With("$campaign", query.CampaignId).With("$schedule", query.ScheduleId).With("$take", query.Take).With("$skip", query.Skip);
                using var reader = command.ExecuteReader();
                var list = new List<JobResult>();
                while (reader.Read())
                {
                    list.Add(JobStoreJson.DeserializeResult(reader.GetString(0)));
                }

                return list;
            },
            cancellationToken);
    }

    public ValueTask<int> DeleteResultsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        database.WriteAsync(
            w => w.Command("DELETE FROM aicmo_job_results WHERE completed_at < $cutoff;").With("$cutoff", Ticks(cutoff)).ExecuteNonQuery(),
            cancellationToken);

    public async ValueTask AddRetryAsync(PlannedRetry retry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var data = JobStoreJson.Serialize(retry);
        await database.WriteAsync(
            w => w.Command("INSERT INTO aicmo_job_retries (id, schedule_id, due_at, data) VALUES ($id, $schedule, $due, $data) ON CONFLICT (id) DO NOTHING;")
                .With("$id", Id(retry.Id)).With("$schedule", retry.ScheduleId).With("$due", Ticks(retry.DueAt)).With("$data", data)
                .ExecuteNonQuery(),
            cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<IReadOnlyList<PlannedRetry>> ListRetriesAsync(string? scheduleId = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<PlannedRetry>>(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = scheduleId is null
                    ? "SELECT data FROM aicmo_job_retries ORDER BY due_at, id;"
                    : "SELECT data FROM aicmo_job_retries WHERE schedule_id = $schedule ORDER BY due_at, id;";
                command.With("$schedule", scheduleId);
                using var reader = command.ExecuteReader();
                var list = new List<PlannedRetry>();
                while (reader.Read())
                {
                    list.Add(JobStoreJson.DeserializeRetry(reader.GetString(0)));
                }

                return list;
            },
            cancellationToken);

    public ValueTask<bool> TryTakeRetryAsync(Guid retryId, CancellationToken cancellationToken = default) =>
        database.WriteAsync(
            w => w.Command("DELETE FROM aicmo_job_retries WHERE id = $id;").With("$id", Id(retryId)).ExecuteNonQuery() == 1,
            cancellationToken);

    private const string LeaseSql = "SELECT owner, token, expires_at, run_id, released FROM aicmo_job_leases WHERE campaign_id = $campaign AND job_kind = $kind;";

    private static JobLease? ReadLease(SqliteCommand command, string campaignId, string jobKind, out bool released)
    {
        using var reader = command.ExecuteReader();
        released = false;
        if (!reader.Read())
        {
            return null;
        }

        released = reader.GetInt64(4) != 0;
        return new JobLease
        {
            CampaignId = campaignId,
            JobKind = jobKind,
            Owner = reader.GetString(0),
            FencingToken = reader.GetInt64(1),
            ExpiresAt = Instant(reader, 2),
            RunId = reader.IsDBNull(3) ? null : Guid.Parse(reader.GetString(3)),
        };
    }
}
