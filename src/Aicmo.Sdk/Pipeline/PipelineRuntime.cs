using Aicmo.Sdk.Domain;
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
    private PipelineRuntime? _harvestOnly;
    private StageRegistry? _registry;

    public required AicmoPipelineOptions Options { get; init; }

    public required IReadOnlyList<ILeadSource> Sources { get; init; }

    public required DedupExecutor Dedup { get; init; }

    public required IReadOnlyList<StageExecutor> Executors { get; init; }

    /// <summary>Gets the stages the executors run, in the same order.</summary>
    public required IReadOnlyList<ILeadStage> Stages { get; init; }

    /// <summary>Gets the executors' stages in order, and where a stored lead resumes.</summary>
    public StageRegistry Registry => _registry ??= new StageRegistry(Executors);

    /// <summary>Gets what creates each run's transport (in process: bounded channels).</summary>
    public IStageTransportFactory Transport { get; init; } = ChannelStageTransport.Factory.Instance;

    /// <summary>Gets the runs live in this process.</summary>
    public LiveRuns Live { get; init; } = new();

    public required ILeadRepository Leads { get; init; }

    public required IAuditLog Audit { get; init; }

    public required IRejectionLog Rejections { get; init; }

    public required ICampaignRepository Campaigns { get; init; }

    public required IRunRepository Runs { get; init; }

    public required TimeProvider Time { get; init; }

    public required ILogger Logger { get; init; }

    public required string[] StageNames { get; init; }

    /// <summary>
    /// Gets whether the last executor is not the pipeline's last stage (a harvest-only run, or a backlog of some stages): a lead
    /// that leaves it without an outcome is stored as it is and counted <see cref="StageStatistics.Stored"/>, not quarantined.
    /// </summary>
    public bool EndsEarly { get; init; }

    /// <summary>Gets whether the runtime changes nothing (a dry run's: see <see cref="PipelineRunRequest.DryRun"/>).</summary>
    public bool WritesNothing { get; init; }

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
        rejections ??= new InMemoryRejectionLog();
        return new PipelineRuntime
        {
            Options = options,
            Sources = sources,
            Dedup = new DedupExecutor(audit, leads, rejections, time),
            Executors = CreateExecutors(stages, options, audit, time, logger),
            Stages = stages,
            Transport = transport ?? ChannelStageTransport.Factory.Instance,
            Live = live ?? new LiveRuns(),
            Leads = leads,
            Audit = audit,
            Rejections = rejections,
            Campaigns = campaigns,
            Runs = runs,
            Time = time,
            Logger = logger,
            StageNames = [global::Aicmo.Sdk.Stages.StageNames.Harvest, global::Aicmo.Sdk.Stages.StageNames.Dedup, .. stages.Select(s => s.Name)],
        };
    }

    /// <summary>Returns the runtime of a harvest-only run: the same sources and stores, no stage after dedup.</summary>
    public PipelineRuntime HarvestOnly() => _harvestOnly ??= Slice(Sources, 0, 0);

    /// <summary>Returns the runtime of a backlog run: no source, and only <paramref name="count"/> stages from <paramref name="first"/>.</summary>
    public PipelineRuntime Backlog(int first, int count) => Slice([], first, count);

    /// <summary>
    /// Returns a runtime for one dry run: stores that read the real ones and write nothing (<see cref="DryRunLeadRepository"/>
    /// decides duplicates as the store would), and executors over them. Built per run: it holds the run's identity keys.
    /// </summary>
    public PipelineRuntime DryRun()
    {
        var leads = new DryRunLeadRepository(Leads);
        var audit = DiscardingAuditLog.Instance;
        return new PipelineRuntime
        {
            Options = Options,
            Sources = Sources,
            Dedup = new DedupExecutor(audit, leads, DiscardingRejectionLog.Instance, Time),
            Executors = CreateExecutors(Stages, Options, audit, Time, Logger),
            Stages = Stages,
            Leads = leads,
            Audit = audit,
            Rejections = DiscardingRejectionLog.Instance,
            Campaigns = new DryRunCampaignRepository(Campaigns),
            Runs = Runs,
            Time = Time,
            Logger = Logger,
            StageNames = StageNames,
            EndsEarly = EndsEarly,
            WritesNothing = true,
            Transport = Transport,
            Live = Live,
        };
    }

    private PipelineRuntime Slice(IReadOnlyList<ILeadSource> sources, int first, int count) => new()
    {
        Options = Options,
        Sources = sources,
        Dedup = Dedup,
        Executors = Executors.Skip(first).Take(count).ToArray(),
        Stages = Stages.Skip(first).Take(count).ToArray(),
        Leads = Leads,
        Audit = Audit,
        Rejections = Rejections,
        Campaigns = Campaigns,
        Runs = Runs,
        Time = Time,
        Logger = Logger,
        StageNames = [global::Aicmo.Sdk.Stages.StageNames.Harvest, global::Aicmo.Sdk.Stages.StageNames.Dedup, .. Executors.Skip(first).Take(count).Select(e => e.Name)],
        EndsEarly = first + count < Executors.Count,
        WritesNothing = WritesNothing,
        Transport = Transport,
        Live = Live,
    };

    private static StageExecutor[] CreateExecutors(IReadOnlyList<ILeadStage> stages, AicmoPipelineOptions options, IAuditLog audit, TimeProvider time, ILogger logger)
    {
        var isTransient = options.Retry.IsTransient ?? RetryOptions.DefaultIsTransient;
        return stages.Select(s => new StageExecutor(s, options, isTransient, audit, time, logger)).ToArray();
    }
}
