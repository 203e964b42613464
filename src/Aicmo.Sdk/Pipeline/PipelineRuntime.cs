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

    public required IAuditLog Audit { get; init; }

    public required ICampaignRepository Campaigns { get; init; }

    public required IRunRepository Runs { get; init; }

    public required TimeProvider Time { get; init; }

    public required ILogger Logger { get; init; }

    public required string[] StageNames { get; init; }

    /// <summary>Builds a runtime over an explicit stage list (used by the DI-built pipeline, and by benchmarks and tests).</summary>
    public static PipelineRuntime Create(
        AicmoPipelineOptions options,
        IReadOnlyList<ILeadSource> sources,
        IReadOnlyList<ILeadStage> stages,
        ILeadRepository leads,
        ICampaignRepository campaigns,
        IRunRepository runs,
        IAuditLog audit,
        TimeProvider time,
        ILogger logger,
        IRejectionLog? rejections = null)
    {
        var isTransient = options.Retry.IsTransient ?? RetryOptions.DefaultIsTransient;
        return new PipelineRuntime
        {
            Options = options,
            Sources = sources,
            Dedup = new DedupExecutor(audit, leads, rejections ?? new InMemoryRejectionLog(), time),
            Executors = stages.Select(s => new StageExecutor(s, options, isTransient, audit, time, logger)).ToArray(),
            Leads = leads,
            Audit = audit,
            Campaigns = campaigns,
            Runs = runs,
            Time = time,
            Logger = logger,
            StageNames = [Stages.StageNames.Harvest, Stages.StageNames.Dedup, .. stages.Select(s => s.Name)],
        };
    }
}
