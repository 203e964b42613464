using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Hosting;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.AspNetCore.Runs.Internal;

/// <summary>
/// Puts the runs the scheduler starts on this host in the <see cref="RunRegistry"/>, so they are followed (server-sent events,
/// WebSocket) and cancelled over HTTP like the runs the API started.
/// </summary>
internal sealed class ScheduledRunTracker(RunRegistry registry) : IScheduledRunObserver
{
    public void OnRunStarted(ScheduledJobContext job, IPipelineRun run)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(run);
        var kind = job.Schedule.JobKind switch
        {
            JobKinds.HarvestOnly => RunValidation.NameOf(PipelineRunKind.HarvestOnly),
            JobKinds.Backlog => RunValidation.NameOf(PipelineRunKind.Backlog),
            _ => RunValidation.NameOf(PipelineRunKind.Full),
        };
        registry.Track(run, kind);
    }
}
