using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>
/// The <see cref="JobKinds.Pipeline"/> job: resumes the run a dead host left under the lease, or starts a run of the campaign
/// (which takes over the campaign's cancelled and failed runs when <see cref="AicmoPipelineOptions.ResumeInterruptedRuns"/> is on).
/// </summary>
/// <remarks>The pipeline is resolved on the first fire: a host that only nurtures needs no lead source.</remarks>
internal sealed class PipelineJob(IServiceProvider services, IRunRepository runs) : IScheduledJob
{
    public string Kind => JobKinds.Pipeline;

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
            run = pipeline.Start(new PipelineRunRequest { CampaignId = context.Schedule.CampaignId, MaxLeads = context.Schedule.MaxLeads }, cancellationToken);
        }

        await context.ReportRunAsync(run.RunId, CancellationToken.None).ConfigureAwait(false);
        return JobOutcome.FromRun(await run.Completion.ConfigureAwait(false));
    }
}
