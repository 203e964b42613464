using Aicmo.Sdk.Pipeline;

namespace Aicmo.Sdk.Hosting;

/// <summary>
/// Told of each pipeline run a scheduled job starts or resumes on this host, so that an API can follow its events and cancel it
/// like a run it started itself. Register implementations as singletons; they are called on the job's thread and must return
/// quickly.
/// </summary>
public interface IScheduledRunObserver
{
    /// <summary>Called once the run has started and carries the job's <see cref="JobStarted"/> in its events.</summary>
    /// <param name="job">The job that runs it.</param>
    /// <param name="run">The run's handle.</param>
    void OnRunStarted(ScheduledJobContext job, IPipelineRun run);
}
