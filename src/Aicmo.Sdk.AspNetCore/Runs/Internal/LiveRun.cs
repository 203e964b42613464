using Aicmo.Sdk.AspNetCore.Live.Internal;
using Aicmo.Sdk.Pipeline;

namespace Aicmo.Sdk.AspNetCore.Runs.Internal;

/// <summary>A run started or resumed by this process: its handle, its event stream, and its result once it ends.</summary>
/// <param name="Run">The run's handle.</param>
/// <param name="Kind">What was asked for (<c>full-pipeline</c>, <c>harvest</c>, or <c>backlog</c> for a resumed backlog run).</param>
/// <param name="Log">The run's live stream.</param>
internal sealed record LiveRun(IPipelineRun Run, string Kind, RunEventLog Log)
{
    /// <summary>Gets whether the run is a dry run (it stores and sends nothing).</summary>
    public bool DryRun { get; init; }

    /// <summary>Gets the result once the run ended and its stream was completed.</summary>
    public PipelineRunResult? Result { get; set; }
}
