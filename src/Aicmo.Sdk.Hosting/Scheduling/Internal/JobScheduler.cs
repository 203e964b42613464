using System.Collections.Concurrent;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>
/// The scheduler's engine, one per host. Each look at the store (<see cref="TickAsync"/>) claims the due occurrences of every
/// schedule with a compare-and-set that moves its next occurrence past now, so each occurrence is claimed by one host only;
/// the claimed fires then run in the background (<see cref="JobAttemptRunner"/>), each under the (campaign, job kind) lease.
/// <see cref="OccurrencePlanner"/> decides which due occurrences run, <see cref="MisfireRecorder"/> records the missed ones, and
/// <see cref="NurtureScheduleSeeder"/> adds each campaign's nurture pass.
/// </summary>
internal sealed class JobScheduler
{
    private static readonly TimeSpan RetentionInterval = TimeSpan.FromHours(1);
    private static readonly TimeSpan MinimumDelay = TimeSpan.FromMilliseconds(1);

    private readonly IJobStore _store;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _running = new();
    private readonly RetryPlanner _retries;
    private readonly JobAttemptRunner _attempts;
    private readonly MisfireRecorder _misfires;
    private readonly NurtureScheduleSeeder _nurture;
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
        _options = options.Value;
        _time = timeProvider;
        _logger = logger;
        events.Capacity = _options.EventBufferSize;
        _retries = new RetryPlanner(store, logger);
        HostId = _options.HostId ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
        var kinds = jobs.GroupBy(j => j.Kind, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var renewal = new LeaseRenewal(store, _options, timeProvider, logger);
        _attempts = new JobAttemptRunner(store, kinds, _options, logger, _retries, events, scheduledRuns, renewal, HostId, _stopping.Token);
        _misfires = new MisfireRecorder(store, events, logger, HostId);
        _nurture = new NurtureScheduleSeeder(store, campaigns, _options, logger);
    }

    public string HostId { get; }

    public int RunningJobs => _running.Count;

    /// <summary>Counts the retries planned and not fired yet (in the store, so those of every host sharing it).</summary>
    public Task<int> CountPendingRetriesAsync() => _retries.CountAsync(CancellationToken.None);

    /// <summary>Adds the schedules defined in code or configuration to the store, or updates those whose definition changed.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await ScheduleDefinitions.SyncAsync(_store, _options.Schedules, _logger, cancellationToken).ConfigureAwait(false);
        SchedulerLog.Started(_logger, HostId, _options.Schedules.Count);
    }

    /// <summary>Looks at the store once: claims and starts what is due. Returns how long to wait before the next look.</summary>
    public async Task<TimeSpan> TickAsync(CancellationToken cancellationToken)
    {
        var now = await _store.GetUtcNowAsync(cancellationToken).ConfigureAwait(false);
        if (_options.NurturePass && now - _campaignsCheckedAt >= _options.CampaignRefreshInterval)
        {
            await _nurture.EnsureAsync(now, cancellationToken).ConfigureAwait(false);
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
                Start(() => _attempts.RunAsync(schedule, retry.ScheduledAt, retry.Attempt));
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

            var (due, dropped) = OccurrencePlanner.DueOccurrences(cron, dueAt, now);
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

            var (run, missed) = OccurrencePlanner.Plan(schedule, due, now);
            await _misfires.RecordAsync(schedule, missed, dropped, now).ConfigureAwait(false);
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

                        await _attempts.RunAsync(claimed, occurrence, 1).ConfigureAwait(false);
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

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

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
}
