using System.Runtime.CompilerServices;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// The runs a pipeline started that are still reachable (someone holds their handle), so that erasure can redact the events
/// they retain. The table does not keep a run alive.
/// </summary>
internal sealed class LiveRuns
{
    private readonly ConditionalWeakTable<ChannelPipelineRun, object?> _runs = new();

    public ChannelPipelineRun Track(ChannelPipelineRun run)
    {
        _runs.Add(run, null);
        return run;
    }

    public void RedactEvents(IReadOnlyCollection<Guid> leadIds, string replacement)
    {
        foreach (var (run, _) in _runs)
        {
            run.EventHub.Redact(leadIds, replacement);
        }
    }
}
