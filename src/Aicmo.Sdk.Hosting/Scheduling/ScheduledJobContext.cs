using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.Hosting;

/// <summary>One fire of a schedule, as an <see cref="IScheduledJob"/> sees it.</summary>
public sealed class ScheduledJobContext
{
    private readonly Func<Guid, CancellationToken, ValueTask> _reportRun;

    internal ScheduledJobContext(Guid jobId, JobSchedule schedule, DateTimeOffset scheduledAt, int attempt, JobLease lease, Func<Guid, CancellationToken, ValueTask> reportRun)
    {
        JobId = jobId;
        Schedule = schedule;
        ScheduledAt = scheduledAt;
        Attempt = attempt;
        Lease = lease;
        _reportRun = reportRun;
    }

    /// <summary>Gets the job's id: the id of the <see cref="JobResult"/> this attempt records, and of its events on <see cref="IJobEventStream"/>.</summary>
    public Guid JobId { get; }

    /// <summary>Gets the job's start as the scheduler announced it (what the job's run carries in its events).</summary>
    internal JobStarted? Started { get; init; }

    /// <summary>Gets the schedule that fired.</summary>
    public JobSchedule Schedule { get; }

    /// <summary>Gets the occurrence being run.</summary>
    public DateTimeOffset ScheduledAt { get; }

    /// <summary>Gets the attempt, 1 for the first.</summary>
    public int Attempt { get; }

    /// <summary>Gets the lease the job runs under; <see cref="JobLease.InterruptedRunId"/> names a run its previous holder left unfinished.</summary>
    public JobLease Lease { get; }

    /// <summary>Records on the lease the pipeline run this job is running, so that a host taking the lease over after this one died resumes it.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when it is recorded.</returns>
    public ValueTask ReportRunAsync(Guid runId, CancellationToken cancellationToken = default) => _reportRun(runId, cancellationToken);
}
