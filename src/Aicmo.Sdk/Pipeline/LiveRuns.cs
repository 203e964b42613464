using System.Runtime.CompilerServices;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// The runs a pipeline started in this process that are still reachable (someone holds their handle): erasure redacts the
/// events they retain, and takeover never takes a run that is still running here, however stale its record looks. The table
/// does not keep a run alive.
/// </summary>
internal sealed class LiveRuns
{
    private readonly ConditionalWeakTable<ChannelPipelineRun, object?> _runs = new();

    public ChannelPipelineRun Track(ChannelPipelineRun run)
    {
        _runs.Add(run, null);
        return run;
    }

    /// <summary>Returns whether the run <paramref name="runId"/> is running in this process (started and not ended).</summary>
    public bool IsLive(Guid runId)
    {
        foreach (var (run, _) in _runs)
        {
            if (run.RunId == runId && run.IsRunning)
            {
                return true;
            }
        }

        return false;
    }

    public void RedactEvents(IReadOnlyCollection<Guid> leadIds, string replacement)
    {
        foreach (var (run, _) in _runs)
        {
            run.EventHub.Redact(leadIds, replacement);
        }
    }
}
