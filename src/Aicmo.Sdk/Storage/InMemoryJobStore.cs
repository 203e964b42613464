using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.Storage;

/// <summary>An in-process <see cref="IJobStore"/>: one host, its clock the injected <see cref="TimeProvider"/>; forgotten when the process ends.</summary>
/// <param name="timeProvider">The clock.</param>
public sealed class InMemoryJobStore(TimeProvider timeProvider) : IJobStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, JobSchedule> _schedules = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Campaign, string Kind), LeaseRow> _leases = [];
    private readonly List<JobResult> _results = [];
    private readonly Dictionary<Guid, PlannedRetry> _retries = [];

    /// <inheritdoc />
    public ValueTask<DateTimeOffset> GetUtcNowAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(timeProvider.GetUtcNow());

    /// <inheritdoc />
    public ValueTask<bool> TryAddScheduleAsync(JobSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        lock (_gate)
        {
            return ValueTask.FromResult(_schedules.TryAdd(schedule.Id, schedule));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> UpdateScheduleAsync(JobSchedule schedule, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        lock (_gate)
        {
            if (!_schedules.TryGetValue(schedule.Id, out var stored) || stored.Version != expectedVersion)
            {
                return ValueTask.FromResult(false);
            }

            _schedules[schedule.Id] = schedule;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<JobSchedule?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_schedules.GetValueOrDefault(scheduleId));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JobSchedule>> ListSchedulesAsync(string? campaignId = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<JobSchedule> list = _schedules.Values.Where(s => campaignId is null || s.CampaignId == campaignId).ToList();
            return ValueTask.FromResult(list);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteScheduleAsync(string scheduleId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_schedules.Remove(scheduleId));
        }
    }

    /// <inheritdoc />
    public ValueTask<JobLease?> TryAcquireLeaseAsync(string campaignId, string jobKind, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(campaignId);
        ArgumentException.ThrowIfNullOrEmpty(jobKind);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            var key = (campaignId, jobKind);
            _leases.TryGetValue(key, out var row);
            if (row is not null && row.ExpiresAt > now)
            {
                return ValueTask.FromResult<JobLease?>(null);
            }

            var interrupted = row is { Released: false } ? row.RunId : null;
            var next = new LeaseRow(owner, (row?.Token ?? 0) + 1, now + duration, null, false);
            _leases[key] = next;
            return ValueTask.FromResult<JobLease?>(next.ToLease(campaignId, jobKind) with { InterruptedRunId = interrupted });
        }
    }

    /// <inheritdoc />
    public ValueTask<JobLease?> RenewLeaseAsync(JobLease lease, TimeSpan duration, Guid? runId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            var key = (lease.CampaignId, lease.JobKind);
            if (!_leases.TryGetValue(key, out var row) || row.Token != lease.FencingToken || row.Released)
            {
                return ValueTask.FromResult<JobLease?>(null);
            }

            var renewed = row with { ExpiresAt = now + duration, RunId = runId ?? row.RunId };
            _leases[key] = renewed;
            return ValueTask.FromResult<JobLease?>(renewed.ToLease(lease.CampaignId, lease.JobKind));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseLeaseAsync(JobLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            var key = (lease.CampaignId, lease.JobKind);
            if (!_leases.TryGetValue(key, out var row) || row.Token != lease.FencingToken || row.Released)
            {
                return ValueTask.FromResult(false);
            }

            _leases[key] = row with { ExpiresAt = now, RunId = null, Released = true };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<JobLease?> GetLeaseAsync(string campaignId, string jobKind, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_leases.TryGetValue((campaignId, jobKind), out var row) ? row.ToLease(campaignId, jobKind) : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> AppendResultAsync(JobResult result, JobLease? fence = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            if (fence is not null &&
                (!_leases.TryGetValue((fence.CampaignId, fence.JobKind), out var row) || row.Token != fence.FencingToken))
            {
                return ValueTask.FromResult(false);
            }

            _results.Add(result);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JobResult>> QueryResultsAsync(JobResultQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            IReadOnlyList<JobResult> page = _results
                .Where(r => r.CampaignId == query.CampaignId && (query.ScheduleId is null || r.ScheduleId == query.ScheduleId))
                .OrderByDescending(r => r.ScheduledAt).ThenByDescending(r => r.Attempt).ThenByDescending(r => r.CompletedAt).ThenByDescending(r => r.Id)
                .Skip(query.Skip).Take(query.Take).ToList();
            return ValueTask.FromResult(page);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteResultsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_results.RemoveAll(r => r.CompletedAt < cutoff));
        }
    }

    /// <inheritdoc />
    public ValueTask AddRetryAsync(PlannedRetry retry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(retry);
        lock (_gate)
        {
            _retries[retry.Id] = retry;
        }

        return default;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PlannedRetry>> ListRetriesAsync(string? scheduleId = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<PlannedRetry> list = _retries.Values.Where(r => scheduleId is null || r.ScheduleId == scheduleId)
                .OrderBy(r => r.DueAt).ThenBy(r => r.Id).ToList();
            return ValueTask.FromResult(list);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryTakeRetryAsync(Guid retryId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_retries.Remove(retryId));
        }
    }

    private sealed record LeaseRow(string Owner, long Token, DateTimeOffset ExpiresAt, Guid? RunId, bool Released)
    {
        public JobLease ToLease(string campaignId, string jobKind) => new()
        {
            CampaignId = campaignId, JobKind = jobKind, Owner = Owner, FencingToken = Token, ExpiresAt = ExpiresAt, RunId = RunId,
        };
    }
}
