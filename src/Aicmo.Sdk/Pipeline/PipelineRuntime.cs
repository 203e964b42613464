using Aicmo.Sdk.Pipeline.Transport;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// Everything a run needs that outlives it: options, sources, executors, stores, the transport that carries batches between the
/// executors, and the registry of the runs live in this process. Shared by concurrent runs.
/// </summary>
internal sealed class PipelineRuntime
{
    public required AicmoPipelineOptions Options { get; init; }

    public required IReadOnlyList<ILeadSource> Sources { get; init; }

    public required DedupExecutor Dedup { get; init; }

    public required IReadOnlyList<StageExecutor> Executors { get; init; }

    /// <summary>Gets the lead stages in order, and where a stored lead resumes.</summary>
    public required StageRegistry Registry { get; init; }

    /// <summary>Gets what creates each run's transport (in process: bounded channels).</summary>
    public required IStageTransportFactory Transport { get; init; }

    /// <summary>Gets the runs live in this process.</summary>
    public required LiveRuns Live { get; init; }

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
        IRejectionLog? rejections = null,
        LiveRuns? live = null,
        IStageTransportFactory? transport = null)
    {
        var isTransient = options.Retry.IsTransient ?? RetryOptions.DefaultIsTransient;
        var executors = stages.Select(s => new StageExecutor(s, options, isTransient, audit, time, logger)).ToArray();
        return new PipelineRuntime
        {
            Options = options,
            Sources = sources,
            Dedup = new DedupExecutor(audit, leads, rejections ?? new InMemoryRejectionLog(), time),
            Executors = executors,
            Registry = new StageRegistry(executors),
            Transport = transport ?? ChannelStageTransport.Factory.Instance,
            Live = live ?? new LiveRuns(),
            Leads = leads,
            Audit = audit,
            Campaigns = campaigns,
            Runs = runs,
            Time = time,
            Logger = logger,
            StageNames = [global::Aicmo.Sdk.Stages.StageNames.Harvest, global::Aicmo.Sdk.Stages.StageNames.Dedup, .. stages.Select(s => s.Name)],
        };
    }
}
