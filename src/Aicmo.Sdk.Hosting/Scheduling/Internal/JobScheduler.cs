using System.Collections.Concurrent;
using Aicmo.Sdk.Diagnostics;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>
/// The scheduler's engine, one per host. Each look at the store (<see cref="TickAsync"/>) claims the due occurrences of every
/// schedule with a compare-and-set that moves its next occurrence past now, so each occurrence is claimed by one host only;
/// the claimed fires then run in the background, each under the (campaign, job kind) lease.
/// </summary>
internal sealed class JobScheduler
{
    /// <summary>The most missed occurrences recorded one by one per look (the newest); older ones are only counted in the log.</summary>
    internal const int MaxMisfireRecords = 100;

    private const int MaxOccurrencesPerLook = 100_000;
    private static readonly TimeSpan RetentionInterval = TimeSpan.FromHours(1);
    private static readonly TimeSpan MinimumDelay = TimeSpan.FromMilliseconds(1);

    private readonly IJobStore _store;
    private readonly ICampaignRepository _campaigns;
    private readonly Dictionary<string, IScheduledJob> _jobs;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _running = new();
    private readonly RetryPlanner _retries;
    private readonly JobEventHub _events;
    private readonly ScheduledRuns _scheduledRuns;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _wakeGate = new();
    private int _leftDue;
    private long _nextTask;
    private DateTimeOffset _campaignsCheckedAt = DateTimeOffset.MinValue;
    private DateTimeOffset _retentionAt = DateTimeOffset.MinValue;

    public JobScheduler(
        IJobStore store, ICampaignRepository campaigns, IEnumerable<IScheduledJob> jobs, IOptions<SchedulerOptions> options, TimeProvider timeProvider,
        ILogger<JobScheduler> logger, JobEventHub events, ScheduledRuns scheduledRuns)
    {
        _store = store;
        _campaigns = campaigns;
        _jobs = jobs.GroupBy(j => j.Kind, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        _options = options.Value;
        _time = timeProvider;
        _logger = logger;
        _events = events;
        _scheduledRuns = scheduledRuns;
        _events.Capacity = _options.EventBufferSize;
        _retries = new RetryPlanner(store, logger);
        HostId = _options.HostId ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    }

    public string HostId { get; }

    public int RunningJobs => _running.Count;

    /// <summary>Counts the retries planned and not fired yet (in the store, so those of every host sharing it).</summary>
    public Task<int> CountPendingRetriesAsync() => _retries.CountAsync(CancellationToken.None);

    /// <summary>Adds the schedules defined in code or configuration to the store, or updates those whose definition changed.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var now = await _store.GetUtcNowAsync(cancellationToken).ConfigureAwait(false);
        foreach (var definition in _options.Schedules)
        {
            while (true)
            {
                var stored = await _store.GetScheduleAsync(definition.Id, cancellationToken).ConfigureAwait(false);
                if (stored is null)
                {
                    var added = ScheduleManager.WithNextFire(definition, now) with { Version = 1, UpdatedAt = now };
                    if (await _store.TryAddScheduleAsync(added, cancellationToken).ConfigureAwait(false))
                    {
                        SchedulerLog.ScheduleAdded(_logger, added.Id, added.JobKind, added.CampaignId, added.NextFireAt);
                        break;
                    }

                    continue;
                }

                if (DefinitionOf(stored) == DefinitionOf(definition))
                {
                    break;
                }

                // The definition changed since it was stored: its occurrences are computed again from now. Pausing is a run-time
                // decision, so the stored state wins over the definition's.
                var changed = ScheduleManager.WithNextFire(definition with { Enabled = stored.Enabled }, now) with { Version = stored.Version + 1, UpdatedAt = now };
                if (await _store.UpdateScheduleAsync(changed, stored.Version, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }
        }

        SchedulerLog.Started(_logger, HostId, _options.Schedules.Count);
    }

    /// <summary>Looks at the store once: claims and starts what is due. Returns how long to wait before the next look.</summary>
    public async Task<TimeSpan> TickAsync(CancellationToken cancellationToken)
    {
        var now = await _store.GetUtcNowAsync(cancellationToken).ConfigureAwait(false);
        if (_options.NurturePass && now - _campaignsCheckedAt >= _options.CampaignRefreshInterval)
        {
            await EnsureNurtureSchedulesAsync(now, cancellationToken).ConfigureAwait(false);
            _campaignsCheckedAt = now;
        }

        if (now - _retentionAt >= RetentionInterval)
        {
            var cutoff = now - _options.ResultRetention;
            var deleted = await _store.DeleteResultsBeforeAsync(cutoff, cancellationToken).ConfigureAwait(false);
            if (deleted > 0)
            {
                SchedulerLog.RetentionDeleted(_logger, deleted, cutoff);
            }

            _retentionAt = now;
        }

        var (dueRetries, next) = await _retries.TakeDueAsync(now, cancellationToken).ConfigureAwait(false);
        foreach (var retry in dueRetries)
        {
            var schedule = await _store.GetScheduleAsync(retry.ScheduleId, cancellationToken).ConfigureAwait(false);
            if (schedule is { Enabled: true })
            {
                Start(() => RunAttemptAsync(schedule, retry.ScheduledAt, retry.Attempt));
            }
        }

        var schedules = await _store.ListSchedulesAsync(null, cancellationToken).ConfigureAwait(false);
        foreach (var schedule in schedules)
        {
            if (!schedule.Enabled || schedule.NextFireAt is not { } dueAt)
            {
                continue;
            }

            if (dueAt > now)
            {
                next = Earliest(next, dueAt);
                continue;
            }

            if (_running.Count >= _options.MaxConcurrentJobs)
            {
                // Left due: the next look claims it, late but never blocking a worker. That look comes when a job ends (not a
                // poll interval later), or now if every job ended since the count was read.
                Volatile.Write(ref _leftDue, 1);
                if (_running.Count < _options.MaxConcurrentJobs)
                {
                    Wake();
                }

                continue;
            }

            CronSchedule cron;
            try
            {
                cron = CronSchedule.Get(schedule.Cron, schedule.TimeZone);
            }
            catch (ArgumentException)
            {
                continue;
            }

            var (due, dropped) = DueOccurrences(cron, dueAt, now);
            var nextFire = cron.NextAfter(now);
            var claimed = schedule with { NextFireAt = nextFire, Version = schedule.Version + 1, UpdatedAt = now };
            if (!await _store.UpdateScheduleAsync(claimed, schedule.Version, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (nextFire is { } n)
            {
                next = Earliest(next, n);
            }

            var (run, missed) = Plan(schedule, due, now);
            await RecordMisfiresAsync(schedule, missed, dropped, now).ConfigureAwait(false);
            if (run.Count > 0)
            {
                Start(async () =>
                {
                    foreach (var occurrence in run)
                    {
                        if (_stopping.IsCancellationRequested)
                        {
                            return;
                        }

                        await RunAttemptAsync(claimed, occurrence, 1).ConfigureAwait(false);
                    }
                });
            }
        }

        var delay = next is { } at ? at - now : _options.PollInterval;
        return delay < MinimumDelay ? MinimumDelay : delay > _options.PollInterval ? _options.PollInterval : delay;
    }

    /// <summary>
    /// Waits <paramref name="delay"/> before the next look, or less: a job that ends while a due schedule was left for lack of a
    /// free slot (<see cref="SchedulerOptions.MaxConcurrentJobs"/>) wakes the scheduler at once.
    /// </summary>
    public async Task WaitForNextLookAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var woken = _wake.WaitAsync(waiting.Token);
        var elapsed = Task.Delay(delay, _time, waiting.Token);
        await Task.WhenAny(woken, elapsed).ConfigureAwait(false);
        await waiting.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Waits until no job started by this scheduler is running.</summary>
    public async Task WhenIdleAsync()
    {
        while (!_running.IsEmpty)
        {
            await Task.WhenAll(_running.Values.ToArray()).ConfigureAwait(false);
        }
    }

    /// <summary>Cancels the running jobs (each drains and checkpoints its work) and waits for them to record their results.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        SchedulerLog.Stopping(_logger, HostId, _running.Count);
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await WhenIdleAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Splits the due occurrences into those to run and those missed. The latest is on time when it is no later than the
    /// misfire threshold; every earlier one is missed, and the misfire policy picks which missed ones still run.
    /// </summary>
    internal static (List<DateTimeOffset> Run, List<DateTimeOffset> Missed) Plan(JobSchedule schedule, List<DateTimeOffset> due, DateTimeOffset now)
    {
        var latestOnTime = due.Count > 0 && now - due[^1] <= schedule.MisfireThreshold;
        var missed = latestOnTime ? due[..^1] : due;
        var run = new List<DateTimeOffset>();
        switch (schedule.Misfire)
        {
            case MisfirePolicy.RunOnce when !latestOnTime && missed.Count > 0:
                run.Add(missed[^1]);
                missed = missed[..^1];
                break;
            case MisfirePolicy.CatchUp:
                var take = Math.Min(schedule.MaxCatchUp, missed.Count);
                run.AddRange(missed[^take..]);
                missed = missed[..^take];
                break;
        }

        if (latestOnTime)
        {
            run.Add(due[^1]);
        }

        return (run, missed);
    }

    private static (List<DateTimeOffset> Due, int Dropped) DueOccurrences(CronSchedule cron, DateTimeOffset first, DateTimeOffset now)
    {
        var due = new List<DateTimeOffset> { first };
        var dropped = 0;
        foreach (var occurrence in cron.Between(first, now))
        {
            if (due.Count == MaxOccurrencesPerLook)
            {
                due.RemoveAt(0);
                dropped++;
            }

            due.Add(occurrence);
        }

        return (due, dropped);
    }

    private static JobSchedule DefinitionOf(JobSchedule schedule) =>
        schedule with { Enabled = true, NextFireAt = null, Version = 0, UpdatedAt = default };

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    private async Task EnsureNurtureSchedulesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var campaigns = await _campaigns.ListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var campaign in campaigns)
        {
            var id = "nurture:" + campaign.Id;
            if (await _store.GetScheduleAsync(id, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            var schedule = ScheduleManager.WithNextFire(
                new JobSchedule
                {
                    Id = id,
                    CampaignId = campaign.Id,
                    JobKind = JobKinds.Nurture,
                    Cron = _options.NurturePassCron,
                    TimeZone = "UTC",
                    Misfire = MisfirePolicy.RunOnce,
                    Retry = new JobRetryPolicy { MaxRetries = 0 },
                },
                now) with { Version = 1, UpdatedAt = now };
            if (await _store.TryAddScheduleAsync(schedule, cancellationToken).ConfigureAwait(false))
            {
                SchedulerLog.ScheduleAdded(_logger, id, schedule.JobKind, schedule.CampaignId, schedule.NextFireAt);
            }
        }
    }

    private async Task RecordMisfiresAsync(JobSchedule schedule, List<DateTimeOffset> missed, int dropped, DateTimeOffset now)
    {
        if (missed.Count == 0)
        {
            return;
        }

        SchedulerLog.Misfired(_logger, schedule.Id, missed.Count + dropped, missed[0], missed[^1], schedule.Misfire);
        SchedulerMetrics.Misfires.Add(missed.Count + dropped, SchedulerMetrics.Kind(schedule.JobKind));
        foreach (var occurrence in missed.Skip(Math.Max(0, missed.Count - MaxMisfireRecords)))
        {
            var reason = $"missed by {now - occurrence} (misfire threshold {schedule.MisfireThreshold}, policy {schedule.Misfire})";
            var misfire = new JobResult
            {
                Id = Guid.CreateVersion7(now),
                ScheduleId = schedule.Id,
                CampaignId = schedule.CampaignId,
                JobKind = schedule.JobKind,
                Status = JobStatus.Misfired,
                ScheduledAt = occurrence,
                CompletedAt = now,
                Error = reason,
                Host = HostId,
            };
            await _store.AppendResultAsync(misfire, null, CancellationToken.None).ConfigureAwait(false);
            _events.Publish(new JobMisfired(misfire.Id, schedule.Id, schedule.CampaignId, schedule.JobKind, occurrence, now, reason));
        }
    }

    private void Start(Func<Task> work)
    {
        var id = Interlocked.Increment(ref _nextTask);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _running[id] = TrackAsync(id, gate.Task, work);
        gate.SetResult();
    }

    private async Task TrackAsync(long id, Task gate, Func<Task> work)
    {
        try
        {
            await gate.ConfigureAwait(false);
            await work().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            SchedulerLog.TickFailed(_logger, ex);
        }
        finally
        {
            _running.TryRemove(id, out _);
            if (Interlocked.Exchange(ref _leftDue, 0) == 1)
            {
                Wake();
            }
        }
    }

    private void Wake()
    {
        lock (_wakeGate)
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
    }

    private async Task RunAttemptAsync(JobSchedule schedule, DateTimeOffset scheduledAt, int attempt)
    {
        var stopping = _stopping.Token;
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        var kind = SchedulerMetrics.Kind(schedule.JobKind);
        var lease = await _store.TryAcquireLeaseAsync(schedule.CampaignId, schedule.JobKind, HostId, _options.LeaseDuration, CancellationToken.None).ConfigureAwait(false);
        var startedAt = await _store.GetUtcNowAsync(CancellationToken.None).ConfigureAwait(false);
        var result = new JobResult
        {
            Id = Guid.CreateVersion7(startedAt),
            ScheduleId = schedule.Id,
            CampaignId = schedule.CampaignId,
            JobKind = schedule.JobKind,
            Status = JobStatus.Skipped,
            ScheduledAt = scheduledAt,
            CompletedAt = startedAt,
            Attempt = attempt,
            Host = HostId,
        };

        if (lease is null)
        {
            var holder = await _store.GetLeaseAsync(schedule.CampaignId, schedule.JobKind, CancellationToken.None).ConfigureAwait(false);
            SchedulerLog.Skipped(_logger, schedule.JobKind, schedule.CampaignId, schedule.Id, scheduledAt, holder?.Owner ?? "?", holder?.FencingToken ?? 0);
            SchedulerMetrics.Skips.Add(1, kind);
            SchedulerMetrics.Jobs.Add(1, kind, new("job.status", nameof(JobStatus.Skipped)));
            var reason = $"a {schedule.JobKind} run of campaign {schedule.CampaignId} was live under {holder?.Owner} (token {holder?.FencingToken})";
            await _store.AppendResultAsync(result with { Error = reason }, null, CancellationToken.None).ConfigureAwait(false);
            var skipped = new JobSkipped(result.Id, schedule.Id, schedule.CampaignId, schedule.JobKind, scheduledAt, startedAt, attempt, reason);
            _events.Publish(skipped);
            _scheduledRuns.AnnotateLive(skipped);
            return;
        }

        var lag = startedAt - scheduledAt;
        SchedulerMetrics.Fires.Add(1, kind);
        if (attempt == 1)
        {
            SchedulerMetrics.Lag.Record(lag.TotalSeconds, kind);
        }

        SchedulerLog.Fired(_logger, schedule.JobKind, schedule.CampaignId, schedule.Id, scheduledAt, attempt, lag);
        var started = new JobStarted(result.Id, schedule.Id, schedule.CampaignId, schedule.JobKind, scheduledAt, startedAt, attempt, HostId, lease.FencingToken, lease.InterruptedRunId);
        _events.Publish(started);
        if (lease.InterruptedRunId is { } interrupted)
        {
            SchedulerLog.ResumingRun(_logger, schedule.JobKind, schedule.CampaignId, interrupted);
        }

        using var activity = AicmoDiagnostics.ActivitySource.StartActivity("aicmo.scheduler.job");
        activity?.SetTag("job.kind", schedule.JobKind);
        activity?.SetTag("campaign.id", schedule.CampaignId);
        activity?.SetTag("schedule.id", schedule.Id);

        var leaseHolder = new LeaseHolder(lease);
        using var jobCancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var renewal = RenewAsync(leaseHolder, jobCancellation);
        var context = new ScheduledJobContext(result.Id, schedule, scheduledAt, attempt, lease, (runId, ct) => ReportRunAsync(leaseHolder, jobCancellation, runId, ct))
        {
            Started = started,
        };
        JobOutcome outcome;
        Exception? failure = null;
        var cancelledByScheduler = false;
        try
        {
            outcome = _jobs.TryGetValue(schedule.JobKind, out var job)
                ? await job.ExecuteAsync(context, jobCancellation.Token).ConfigureAwait(false)
                : new JobOutcome { Status = JobStatus.Failed, Error = $"No job of kind '{schedule.JobKind}' is registered on host {HostId}." };
        }
        catch (OperationCanceledException) when (jobCancellation.IsCancellationRequested)
        {
            outcome = new JobOutcome { Status = JobStatus.Cancelled, Error = leaseHolder.Lost ? "the lease was lost" : "the host stopped" };
        }
        catch (Exception ex)
        {
            failure = ex;
            outcome = new JobOutcome { Status = JobStatus.Failed, Error = $"{ex.GetType().Name}: {ex.Message}" };
        }
        finally
        {
            cancelledByScheduler = jobCancellation.IsCancellationRequested;
            await jobCancellation.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
        }

        if (cancelledByScheduler && outcome is { Status: JobStatus.Cancelled, Error: null })
        {
            // A job that drains on cancellation (the pipeline) reports Cancelled without saying why; the scheduler knows.
            outcome = outcome with { Error = leaseHolder.Lost ? "the lease was lost" : "the host stopped" };
        }

        var completedAt = await _store.GetUtcNowAsync(CancellationToken.None).ConfigureAwait(false);
        result = result with
        {
            Status = outcome.Status,
            StartedAt = startedAt,
            CompletedAt = completedAt,
            RunId = outcome.RunId,
            LeadsProcessed = outcome.LeadsProcessed,
            Qualified = outcome.Qualified,
            Contacted = outcome.Contacted,
            Error = outcome.Error,
            FencingToken = lease.FencingToken,
        };

        if (!await _store.AppendResultAsync(result, leaseHolder.Lease, CancellationToken.None).ConfigureAwait(false))
        {
            SchedulerLog.LeaseLost(_logger, schedule.JobKind, schedule.CampaignId, lease.FencingToken);
            return;
        }

        await _store.ReleaseLeaseAsync(leaseHolder.Lease, CancellationToken.None).ConfigureAwait(false);
        SchedulerMetrics.Jobs.Add(1, kind, new("job.status", outcome.Status.ToString()));
        activity?.SetTag("job.status", outcome.Status.ToString());
        SchedulerLog.Completed(_logger, schedule.JobKind, schedule.CampaignId, schedule.Id, scheduledAt, outcome.Status, result.Duration, outcome.LeadsProcessed, outcome.Qualified, outcome.Contacted);
        _events.Publish(new JobCompleted(result.Id, schedule.Id, schedule.CampaignId, schedule.JobKind, scheduledAt, completedAt, result));

        if (outcome.Status == JobStatus.Failed)
        {
            if (attempt <= schedule.Retry.MaxRetries && !stopping.IsCancellationRequested)
            {
                var dueAt = completedAt + schedule.Retry.DelayBefore(attempt + 1, Random.Shared.NextDouble());
                await _retries.PlanAsync(new PlannedRetry
                {
                    Id = Guid.CreateVersion7(completedAt),
                    ScheduleId = schedule.Id,
                    CampaignId = schedule.CampaignId,
                    JobKind = schedule.JobKind,
                    ScheduledAt = scheduledAt,
                    Attempt = attempt + 1,
                    DueAt = dueAt,
                    Error = outcome.Error,
                    Host = HostId,
                }).ConfigureAwait(false);
                _events.Publish(new JobRetryPlanned(result.Id, schedule.Id, schedule.CampaignId, schedule.JobKind, scheduledAt, completedAt, attempt + 1, dueAt, outcome.Error));

                SchedulerMetrics.Retries.Add(1, kind);
                SchedulerLog.Retrying(_logger, schedule.JobKind, schedule.CampaignId, schedule.Id, attempt, dueAt, failure);
            }
            else
            {
                SchedulerLog.Failed(_logger, schedule.JobKind, schedule.CampaignId, schedule.Id, attempt, outcome.Error, failure);
            }
        }
    }

    private async Task RenewAsync(LeaseHolder holder, CancellationTokenSource job)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.LeaseRenewInterval, _time, job.Token).ConfigureAwait(false);
                await RenewOnceAsync(holder, job, null, job.Token).ConfigureAwait(false);
                if (holder.Lost)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async ValueTask ReportRunAsync(LeaseHolder holder, CancellationTokenSource job, Guid runId, CancellationToken cancellationToken) =>
        await RenewOnceAsync(holder, job, runId, cancellationToken).ConfigureAwait(false);

    private async Task RenewOnceAsync(LeaseHolder holder, CancellationTokenSource job, Guid? runId, CancellationToken cancellationToken)
    {
        JobLease? renewed;
        try
        {
            renewed = await _store.RenewLeaseAsync(holder.Lease, _options.LeaseDuration, runId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A store that cannot be reached now may be back before the lease runs out; the next renewal tries again.
            SchedulerLog.TickFailed(_logger, ex);
            return;
        }

        if (renewed is null)
        {
            holder.Lost = true;
            SchedulerLog.LeaseLost(_logger, holder.Lease.JobKind, holder.Lease.CampaignId, holder.Lease.FencingToken);
            await job.CancelAsync().ConfigureAwait(false);
            return;
        }

        holder.Lease = renewed;
    }
}
