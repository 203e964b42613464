using System.Collections.Concurrent;
using Aicmo.Sdk.Pipeline;

namespace Aicmo.Sdk.Hosting.Tests.Support;

/// <summary>Keeps the handle of every run a scheduled job started, with the job.</summary>
public sealed class RecordingRunObserver : IScheduledRunObserver
{
    private readonly ConcurrentQueue<(ScheduledJobContext Job, IPipelineRun Run)> _runs = new();

    public IReadOnlyList<(ScheduledJobContext Job, IPipelineRun Run)> Runs => _runs.ToArray();

    public void OnRunStarted(ScheduledJobContext job, IPipelineRun run) => _runs.Enqueue((job, run));
}
