using Aicmo.Sdk.Diagnostics;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>
/// One attempt of one fire: takes the (campaign, job kind) lease or records the fire skipped, runs the job while the lease is
/// renewed, records its result under the lease's fencing token (a host that lost the lease records nothing), and plans the
/// retry of a failed attempt.
/// </summary>
internal sealed class JobAttemptRunner(
    IJobStore store,
    IReadOnlyDictionary<string, IScheduledJob> jobs,
    SchedulerOptions options,
    ILogger logger,
    RetryPlanner retries,
    JobEventHub events,
    ScheduledRuns scheduledRuns,
    LeaseRenewal renewal,
    string hostId,
    CancellationToken stopping)
{
    /// <summary>Runs attempt <paramref name="attempt"/> of the occurrence <paramref name="scheduledAt"/>; never throws for the job's own failure.</summary>
    public async Task RunAsync(JobSchedule schedule, DateTimeOffset scheduledAt, int attempt)
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        var kind = SchedulerMetrics.Kind(schedule.JobKind);
        var lease = await store.TryAcquireLeaseAsync(schedule.CampaignId, schedule.JobKind, hostId, options.LeaseDuration, CancellationToken.None).ConfigureAwait(false);
        var startedAt = await store.GetUtcNowAsync(CancellationToken.None).ConfigureAwait(false);
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
            Host = hostId,
        };

        if (lease is null)
        {
            var holder = await store.GetLeaseAsync(schedule.CampaignId, schedule.JobKind, CancellationToken.None).ConfigureAwait(false);
            SchedulerLog.Skipped(logger, schedule.JobKind, schedule.CampaignId, schedule.Id, scheduledAt, holder?.Owner ?? "?", holder?.FencingToken ?? 0);
            SchedulerMetrics.Skips.Add(1, kind);
            SchedulerMetrics.Jobs.Add(1, kind, new("job.status", nameof(JobStatus.Skipped)));
            var reason = $"a {schedule.JobKind} run of campaign {schedule.CampaignId} was live under {holder?.Owner} (token {holder?.FencingToken})";
            await store.AppendResultAsync(result with { Error = reason }, null, CancellationToken.None).ConfigureAwait(false);
            var skipped = new JobSkipped(result.Id, schedule.Id, schedule.CampaignId, schedule.JobKind, scheduledAt, startedAt, attempt, reason);
            events.Publish(skipped);
            scheduledRuns.AnnotateLive(skipped);
            return;
        }

        var lag = startedAt - scheduledAt;
        SchedulerMetrics.Fires.Add(1, kind);
        if (attempt == 1)
        {
            SchedulerMetrics.Lag.Record(lag.TotalSeconds, kind);
        }

        SchedulerLog.Fired(logger, schedule.JobKind, schedule.CampaignId, schedule.Id, scheduledAt, attempt, lag);
        var started = new JobStarted(result.Id, schedule.Id, schedule.CampaignId, schedule.JobKind, scheduledAt, startedAt, attempt, hostId, lease.FencingToken, lease.InterruptedRunId);
        events.Publish(started);
        if (lease.InterruptedRunId is { } interrupted)
        {
            SchedulerLog.ResumingRun(logger, schedule.JobKind, schedule.CampaignId, interrupted);
        }

        using var activity = AicmoDiagnostics.ActivitySource.StartActivity("aicmo.scheduler.job");
        activity?.SetTag("job.kind", schedule.JobKind);
        activity?.SetTag("campaign.id", schedule.CampaignId);
        activity?.SetTag("schedule.id", schedule.Id);

        var leaseHolder = new LeaseHolder(lease);
        using var jobCancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var renewing = renewal.RunAsync(leaseHolder, jobCancellation);
        var context = new ScheduledJobContext(result.Id, schedule, scheduledAt, attempt, lease, (runId, ct) => new ValueTask(renewal.RenewOnceAsync(leaseHolder, jobCancellation, runId, ct)))
        {
            Started = started,
        };
        JobOutcome outcome;
        Exception? failure = null;
        var cancelledByScheduler = false;
        try
        {
            outcome = jobs.TryGetValue(schedule.JobKind, out var job)
                ? await job.ExecuteAsync(context, jobCancellation.Token).ConfigureAwait(false)
                : new JobOutcome { Status = JobStatus.Failed, Error = $"No job of kind '{schedule.JobKind}' is registered on host {hostId}." };
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
            await renewing.ConfigureAwait(false);
        }

        if (cancelledByScheduler && outcome is { Status: JobStatus.Cancelled, Error: null })
        {
            // A job that drains on cancellation (the pipeline) reports Cancelled without saying why; the scheduler knows.
            outcome = outcome with { Error = leaseHolder.Lost ? "the lease was lost" : "the host stopped" };
        }

        var completedAt = await store.GetUtcNowAsync(CancellationToken.None).ConfigureAwait(false);
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

        if (!await store.AppendResultAsync(result, leaseHolder.Lease, CancellationToken.None).ConfigureAwait(false))
        {
            SchedulerLog.LeaseLost(logger, schedule.JobKind, schedule.CampaignId, lease.FencingToken);
            return;
        }

        await store.ReleaseLeaseAsync(leaseHolder.Lease, CancellationToken.None).ConfigureAwait(false);
        SchedulerMetrics.Jobs.Add(1, kind, new("job.status", outcome.Status.ToString()));
        activity?.SetTag("job.status", outcome.Status.ToString());
        SchedulerLog.Completed(logger, schedule.JobKind, schedule.CampaignId, schedule.Id, scheduledAt, outcome.Status, result.Duration, outcome.LeadsProcessed, outcome.Qualified, outcome.Contacted);
        events.Publish(new JobCompleted(result.Id, schedule.Id, schedule.CampaignId, schedule.JobKind, scheduledAt, completedAt, result));

        if (outcome.Status == JobStatus.Failed)
        {
            if (attempt <= schedule.Retry.MaxRetries && !stopping.IsCancellationRequested)
            {
                var dueAt = completedAt + schedule.Retry.DelayBefore(attempt + 1, Random.Shared.NextDouble());
                await retries.PlanAsync(new PlannedRetry
                {
                    Id = Guid.CreateVersion7(completedAt),
                    ScheduleId = schedule.Id,
                    CampaignId = schedule.CampaignId,
                    JobKind = schedule.JobKind,
                    ScheduledAt = scheduledAt,
                    Attempt = attempt + 1,
                    DueAt = dueAt,
                    Error = outcome.Error,
                    Host = hostId,
                }).ConfigureAwait(false);
                events.Publish(new JobRetryPlanned(result.Id, schedule.Id, schedule.CampaignId, schedule.JobKind, scheduledAt, completedAt, attempt + 1, dueAt, outcome.Error));

                SchedulerMetrics.Retries.Add(1, kind);
                SchedulerLog.Retrying(logger, schedule.JobKind, schedule.CampaignId, schedule.Id, attempt, dueAt, failure);
            }
            else
            {
                SchedulerLog.Failed(logger, schedule.JobKind, schedule.CampaignId, schedule.Id, attempt, outcome.Error, failure);
            }
        }
    }
}
