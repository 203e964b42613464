using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Pipeline;

/// <summary>Everything a run needs that outlives it: options, sources, executors and stores. Shared by concurrent runs.</summary>
internal sealed class PipelineRuntime
{
    public required AicmoPipelineOptions Options { get; init; }

    public required IReadOnlyList<ILeadSource> Sources { get; init; }

    public required DedupExecutor Dedup { get; init; }

    public required IReadOnlyList<StageExecutor> Executors { get; init; }

    public required ILeadRepository Leads { get; init; }

    public required ICampaignRepository Campaigns { get; init; }

    public required IRunRepository Runs { get; init; }

    public required TimeProvider Time { get; init; }

    public required ILogger Logger { get; init; }

    public required string[] StageNames { get; init; }
}
