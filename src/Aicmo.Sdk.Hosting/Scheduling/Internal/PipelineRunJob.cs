using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>
/// A job that runs the pipeline: resumes the run a dead host left under the lease (whatever its kind, it goes on as it began),
/// or starts a run of the job's kind. The run carries the job's start in its own events (<see cref="ScheduledJobEvent"/>), and its
/// events go out on <see cref="IJobEventStream"/>, tagged with the job.
/// </summary>
/// <remarks>The pipeline is resolved on the first fire: a host that only nurtures needs no lead source.</remarks>
internal abstract class PipelineRunJob(IServiceProvider services, IRunRepository runs, JobEventHub events) : IScheduledJob
{
    public abstract string Kind { get; }

    public async Task<JobOutcome> ExecuteAsync(ScheduledJobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pipeline = services.GetRequiredService<ILeadPipeline>();
        IPipelineRun run;
        if (context.Lease.InterruptedRunId is { } interrupted &&
            await runs.GetAsync(interrupted, cancellationToken).ConfigureAwait(false) is { TakenOverBy: null, Status: not (PipelineRunStatus.Completed or PipelineRunStatus.CompletedWithErrors) })
        {
            // The lease expired unreleased: the host that ran it is gone, so nobody else runs it (ResumeAsync's precondition).
            run = await pipeline.StartResumeAsync(interrupted, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            run = pipeline.Start(CreateRequest(context.Schedule), cancellationToken);
        }

        if (context.Started is { } started)
        {
            run.Annotate(new ScheduledJobEvent(run.RunId, started.Timestamp, started));
        }

        // Observers first: whoever reads the job stream's run events can then find the run where they follow runs.
        var live = services.GetRequiredService<ScheduledRuns>();
        live.Started(context, run);
        var forwarding = ForwardAsync(context, run);
        try
        {
            await context.ReportRunAsync(run.RunId, CancellationToken.None).ConfigureAwait(false);
            var result = await run.Completion.ConfigureAwait(false);
            await forwarding.ConfigureAwait(false);
            return JobOutcome.FromRun(result);
        }
        finally
        {
            live.Ended(context, run);
        }
    }

    /// <summary>Builds the request of a new run for the schedule.</summary>
    protected abstract PipelineRunRequest CreateRequest(JobSchedule schedule);

    // The run's events replay from its start and end after RunCompleted, so a forward started late still sends them all.
    private async Task ForwardAsync(ScheduledJobContext context, IPipelineRun run)
    {
        var schedule = context.Schedule;
        await foreach (var e in run.Events.ConfigureAwait(false))
        {
            if (e is ScheduledJobEvent)
            {
                // The scheduler's own event, already on the job stream.
                continue;
            }

            events.Publish(new JobRunEvent(context.JobId, schedule.Id, schedule.CampaignId, schedule.JobKind, context.ScheduledAt, e.Timestamp, e));
        }
    }
}
