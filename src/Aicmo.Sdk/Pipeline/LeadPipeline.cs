using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Pipeline;

/// <summary>The default <see cref="ILeadPipeline"/>: runs over bounded in-process channels.</summary>
internal sealed class LeadPipeline : ILeadPipeline
{
    private readonly LiveRuns _live;
    private readonly PipelineRuntime _runtime;

    public LeadPipeline(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);

        _live = services.GetService<LiveRuns>() ?? new LiveRuns();

        // Reading the options value runs their validation: a bad value fails here, naming the option.
        var options = services.GetRequiredService<IOptions<AicmoPipelineOptions>>().Value;
        var sources = services.GetServices<ILeadSource>().ToArray();
        if (sources.Length == 0)
        {
            throw new InvalidOperationException("No lead source is registered. Call builder.AddLeadSource<TSource>() after AddAicmoPipeline().");
        }

        var duplicateSource = sources.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicateSource is not null)
        {
            throw new InvalidOperationException($"Two lead sources are named '{duplicateSource.Key}'; source names must be unique.");
        }

        var nurturer = services.GetRequiredService<ILeadNurturer>();
        if (!options.DryRun && nurturer is EmailNurturer && services.GetService<IEmailSender>() is null)
        {
            throw new InvalidOperationException(
                "No IEmailSender is registered. Call builder.AddEmailSender<TSender>(), or set AicmoPipelineOptions.DryRun = true to record sends without sending.");
        }

        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var loggerFactory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("Aicmo.Sdk.Pipeline");
        var audit = services.GetRequiredService<IAuditLog>();
        var leads = services.GetRequiredService<ILeadRepository>();

        var stages = BuildStages(services, nurturer);
        _runtime = PipelineRuntime.Create(
            options,
            sources,
            stages,
            leads,
            services.GetRequiredService<ICampaignRepository>(),
            services.GetRequiredService<IRunRepository>(),
            audit,
            time,
            logger,
            services.GetService<IRejectionLog>(),
            _live,
            services.GetService<Transport.ILeadBatchTransport>() is { } remote ? new Transport.StoredLeadTransport.Factory(remote) : null);

        // A transport whose runs span processes lets this pipeline join the runs other processes started.
        if (services.GetService<Transport.ILeadBatchTransport>() is Transport.ILeadBatchRunCoordinator coordinator)
        {
            coordinator.Attach(new RunParticipants(_runtime, (Transport.ILeadBatchTransport)coordinator, coordinator, RuntimeFor));
        }
    }

    /// <summary>Runs over a runtime built by hand (<see cref="PipelineRuntime.Create"/>), bypassing the container.</summary>
    internal LeadPipeline(PipelineRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        _runtime = runtime;
        _live = runtime.Live;
    }

    public IPipelineRun Start(PipelineRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var (runtime, backlog) = RuntimeFor(request);
        return _live.Track(new ChannelPipelineRun(runtime, request, cancellationToken, backlog: backlog));
    }

    public Task<PipelineRunResult> RunAsync(PipelineRunRequest request, CancellationToken cancellationToken = default) =>
        Start(request, cancellationToken).Completion;

    public async Task<PipelineRunResult> ResumeAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        var run = await StartResumeAsync(runId, cancellationToken).ConfigureAwait(false);
        return await run.Completion.ConfigureAwait(false);
    }

    public async Task<IPipelineRun> StartResumeAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        var record = await _runtime.Runs.GetAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"There is no run {runId} to resume.");
        if (record.Status is PipelineRunStatus.Completed or PipelineRunStatus.CompletedWithErrors)
        {
            throw new InvalidOperationException($"Run {runId} completed ({record.Status}); there is nothing to resume.");
        }

        var request = PipelineRunRequest.For(record);
        PipelineRuntime runtime;
        BacklogPlan? backlog;
        try
        {
            request.Validate();
            (runtime, backlog) = RuntimeFor(request);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"Run {runId} cannot be resumed by this pipeline: {ex.Message}", ex);
        }

        return _live.Track(new ChannelPipelineRun(runtime, request, cancellationToken, resume: true, backlog: backlog));
    }

    // The runtime of a run of the request's kind: the shared one, or a dry run's own; all stages, none after dedup, or a backlog's.
    private (PipelineRuntime Runtime, BacklogPlan? Backlog) RuntimeFor(PipelineRunRequest request)
    {
        var runtime = request.DryRun ? _runtime.DryRun() : _runtime;
        switch (request.Kind)
        {
            case PipelineRunKind.HarvestOnly:
                return (runtime.HarvestOnly(), null);
            case PipelineRunKind.Backlog:
                var plan = BacklogPlan.Create(request.Backlog!, [.. _runtime.Executors.Select(static e => e.Name)]);
                return (runtime.Backlog(plan.First, plan.Count), plan);
            default:
                return (runtime, null);
        }
    }

    private static List<ILeadStage> BuildStages(IServiceProvider services, ILeadNurturer nurturer)
    {
        var stages = new List<ILeadStage>();
        var enrichers = services.GetServices<ILeadEnricher>().ToArray();
        if (enrichers.Length > 0)
        {
            stages.Add(new EnrichStage(enrichers));
        }

        stages.Add(new ScoreStage(services.GetRequiredService<ILeadScorer>()));
        stages.Add(new QualifyStage(services.GetRequiredService<ILeadQualifier>()));
        stages.Add(new RouteStage(services.GetRequiredService<ILeadRouter>()));
        stages.Add(new NurtureStage(nurturer));

        foreach (var registration in services.GetServices<CustomStageRegistration>())
        {
            var stage = registration.Factory(services);
            var anchor = stages.FindIndex(s => string.Equals(s.Name, registration.RunsAfter, StringComparison.OrdinalIgnoreCase));
            if (anchor < 0)
            {
                throw new InvalidOperationException(
                    $"Custom stage '{stage.Name}' runs after '{registration.RunsAfter}', but no stage has that name. Stages: {string.Join(", ", stages.Select(s => s.Name))}.");
            }

            if (stages.Exists(s => string.Equals(s.Name, stage.Name, StringComparison.OrdinalIgnoreCase)) ||
                stage.Name is StageNames.Harvest or StageNames.Dedup)
            {
                throw new InvalidOperationException($"Two stages are named '{stage.Name}'; stage names must be unique.");
            }

            stages.Insert(anchor + 1, stage);
        }

        return stages;
    }
}
