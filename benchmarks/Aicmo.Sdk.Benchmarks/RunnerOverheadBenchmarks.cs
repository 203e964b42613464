using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using Aicmo.Sdk.Benchmarks.Infrastructure;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using BenchmarkDotNet.Attributes;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>
/// Five no-op stages over the same leads, with the same parallelism (workers per stage = processor count) and the same channel or
/// block capacity: our runner against hand-written bounded-Channels pipelines, equivalent TPL Dataflow pipelines (the baseline
/// is the plain one) and a sequential loop. Every contender calls the same five <see cref="ILeadStage"/> instances.
/// </summary>
/// <remarks>
/// <para>
/// The runner does this per lead: it reads the candidate from a source, computes the identity key, creates the lead, inserts
/// it into the lead store (the dedup), appends the "harvested" audit event, runs each stage under its resilience pipeline,
/// counts, applies the outcome through the state machine with its audit event and writes the lead back with a compare-and-set.
/// It moves leads in batches and uses the stores' batch methods.
/// </para>
/// <para>
/// Two kinds of baselines. The plain ones ("Raw bounded Channels", "TPL Dataflow", "Sequential loop") only move ready-made
/// lead objects from stage to stage: they measure the transport alone, the floor of orchestration cost, and the runner's ratio
/// to them includes all the work above. The like-for-like ones ("..., same per-lead work") start from the same candidates the
/// runner reads and do that work lead by lead, as a team would hand-write it (<see cref="SameLeadWork"/>): identity key, the
/// lead built as dedup builds it, <c>TryAddAsync</c> into a fresh identity-only store, the harvested event into a counting
/// audit log, the five stages, the outcome's transition and event, and the final <c>UpdateAsync</c> compare-and-set; with the
/// same stages, workers and capacities as the plain ones, but without resilience, metrics or batching. The runner's ratio to
/// them is the cost (or gain) of the runner itself for the same work.
/// </para>
/// </remarks>
[Config(typeof(PipelineRunConfig))]
[SmokeLeads(20_000)] // Enough to fill the bounded channels and blocks, where leads can be lost.
public class RunnerOverheadBenchmarks
{
    private const int Capacity = 1024;
    private static readonly int Workers = Environment.ProcessorCount;
    private readonly ILeadStage[] _stages = NoOpStages.Create();
    private readonly ILeadStage[] _oneStage = [new OutcomeStage("only")];
    private readonly StageContext _context = new(Guid.NewGuid(), "bench", "noop", TimeProvider.System, false);
    private LeadCandidate[] _candidates = [];
    private Lead[] _leads = [];
    private ILeadPipeline? _runner;
    private RunnerStores? _stores;
    private PipelineRunResult? _runResult;
    private SameLeadWork? _sameWork;
    private SameWorkTally? _tally;
    private long _moved = -1;

    [Params(100_000)]
    public int Leads { get; set; } = 100_000;

    [GlobalSetup]
    public void GlobalSetup()
    {
        _candidates = BenchCandidates.Unique(Leads);
        _leads = Array.ConvertAll(_candidates, c => BenchLeads.ToLead(c));
    }

    [IterationSetup(Target = nameof(Runner))]
    public void SetUpRunner() => SetUpRunner(StoreKind.NonRetaining, resilience: true);

    [IterationSetup(Target = nameof(RunnerNoResilience))]
    public void SetUpRunnerNoResilience() => SetUpRunner(StoreKind.NonRetaining, resilience: false);

    [IterationSetup(Target = nameof(RunnerInMemoryStore))]
    public void SetUpRunnerInMemory() => SetUpRunner(StoreKind.InMemory, resilience: true);

    [IterationSetup(Target = nameof(RunnerOneStage))]
    public void SetUpRunnerOneStage() => SetUpRunner(StoreKind.NonRetaining, resilience: true, _oneStage);

    [IterationSetup(Targets = [nameof(RawChannelsSameWork), nameof(DataflowSameWork)])]
    public void SetUpSameWork()
    {
        _stores = RunnerStores.Create(StoreKind.NonRetaining);
        _sameWork = new SameLeadWork(_stores.Leads, _stores.Audit, new StageContext(Guid.NewGuid(), "bench", "same-work", TimeProvider.System, false), "array");
    }

    [Benchmark(Description = "Aicmo runner (retry+timeout on, identity-only store)")]
    public async Task<PipelineRunResult> Runner() => _runResult = await _runner!.RunAsync(new PipelineRunRequest { CampaignId = "bench" });

    [Benchmark(Description = "Aicmo runner (no retry, no timeout, identity-only store)")]
    public async Task<PipelineRunResult> RunnerNoResilience() => _runResult = await _runner!.RunAsync(new PipelineRunRequest { CampaignId = "bench" });

    [Benchmark(Description = "Aicmo runner (retry+timeout on, in-memory store)")]
    public async Task<PipelineRunResult> RunnerInMemoryStore() => _runResult = await _runner!.RunAsync(new PipelineRunRequest { CampaignId = "bench" });

    // The two one-stage rows isolate the cost of a stage hop: (five stages - one stage) / 4, for the runner and for raw Channels.
    [Benchmark(Description = "Aicmo runner, 1 stage (retry+timeout on, identity-only store)")]
    public async Task<PipelineRunResult> RunnerOneStage() => _runResult = await _runner!.RunAsync(new PipelineRunRequest { CampaignId = "bench" });

    [Benchmark(Description = "Raw bounded Channels, 1 stage")]
    public async Task<long> RawChannelsOneStage() => _moved = await RawChannelsPipeline.RunAsync(_leads, _oneStage, _context, Workers, Capacity);

    [Benchmark(Description = "Raw bounded Channels")]
    public async Task<long> RawChannels() => _moved = await RawChannelsPipeline.RunAsync(_leads, _stages, _context, Workers, Capacity);

    [Benchmark(Baseline = true, Description = "TPL Dataflow")]
    public async Task<long> Dataflow() => _moved = await DataflowPipeline.RunAsync(_leads, _stages, _context, Workers, Capacity);

    [Benchmark(Description = "Raw bounded Channels, same per-lead work")]
    public async Task<SameWorkTally> RawChannelsSameWork() => _tally = await RawChannelsSameWorkPipeline.RunAsync(_candidates, _stages, _sameWork!, Workers, Capacity);

    [Benchmark(Description = "TPL Dataflow, same per-lead work")]
    public async Task<SameWorkTally> DataflowSameWork() => _tally = await DataflowSameWorkPipeline.RunAsync(_candidates, _stages, _sameWork!, Workers, Capacity);

    [Benchmark(Description = "Sequential loop")]
    public async Task<long> SequentialLoop()
    {
        long moved = 0;
        foreach (var lead in _leads)
        {
            foreach (var stage in _stages)
            {
                await stage.ExecuteAsync(lead, _context, CancellationToken.None);
            }

            moved++;
        }

        return _moved = moved;
    }

    [IterationCleanup]
    public void Verify()
    {
        // The state is reset even when a check fails, so that one failure does not fail the next benchmark's checks too.
        try
        {
            if (_runResult is { } r)
            {
                Check.Run(r, Leads, expectedDuplicates: 0);
                Check.Equal(Leads, r.Disqualified, "leads that reached the outcome stage");
                if (_stores!.Audit is CountingAuditLog audit)
                {
                    // Created, then moved to the outcome: two audit events per lead.
                    Check.Equal(2L * Leads, audit.Count, "audit events");
                }
            }
            else if (_tally is { } t)
            {
                Check.Equal(0, t.Duplicates, "duplicates");
                Check.Equal(Leads, _stores!.Leads.CountAsync("bench").AsTask().GetAwaiter().GetResult(), "leads added to the store");
                Check.Equal(Leads, t.Updated, "leads written back (one compare-and-set each)");
                Check.Equal(Leads, t.Disqualified, "leads that reached the outcome stage");
                Check.Equal(2L * Leads, ((CountingAuditLog)_stores.Audit).Count, "audit events");
            }
            else
            {
                Check.Equal(Leads, _moved, "leads out of the last stage");
            }
        }
        finally
        {
            _runResult = null;
            _tally = null;
            _sameWork = null;
            _moved = -1;
            _runner = null;
        }
    }

    private void SetUpRunner(StoreKind store, bool resilience, ILeadStage[]? stages = null)
    {
        var options = new AicmoPipelineOptions { DegreeOfParallelism = Workers, ChannelCapacity = Capacity };
        if (!resilience)
        {
            options.Retry.MaxRetryAttempts = 0;
            options.StageTimeout = Timeout.InfiniteTimeSpan;
        }

        _stores = RunnerStores.Create(store);
        _runner = RunnerFactory.Create(new ArrayLeadSource(_candidates), stages ?? _stages, options, _stores);
    }
}

/// <summary>The floor of orchestration cost: bounded channels between stages, N workers per stage, completion flowing downstream.</summary>
public static class RawChannelsPipeline
{
    public static async Task<long> RunAsync(Lead[] leads, ILeadStage[] stages, StageContext context, int workers, int capacity)
    {
        var channels = new Channel<Lead>[stages.Length];
        for (var i = 0; i < channels.Length; i++)
        {
            channels[i] = Channel.CreateBounded<Lead>(new BoundedChannelOptions(capacity) { SingleReader = workers == 1, SingleWriter = false });
        }

        long moved = 0;
        var groups = new Task[stages.Length + 1];
        groups[0] = ProduceAsync();
        for (var s = 0; s < stages.Length; s++)
        {
            groups[s + 1] = StageAsync(s);
        }

        await Task.WhenAll(groups);
        return moved;

        async Task ProduceAsync()
        {
            await Task.Yield();
            var writer = channels[0].Writer;
            foreach (var lead in leads)
            {
                await writer.WriteAsync(lead);
            }

            writer.Complete();
        }

        async Task StageAsync(int s)
        {
            var tasks = new Task[workers];
            for (var w = 0; w < workers; w++)
            {
                tasks[w] = WorkerAsync(s);
            }

            await Task.WhenAll(tasks);
            if (s + 1 < channels.Length)
            {
                channels[s + 1].Writer.Complete();
            }
        }

        async Task WorkerAsync(int s)
        {
            await Task.Yield();
            var stage = stages[s];
            var reader = channels[s].Reader;
            var writer = s + 1 < channels.Length ? channels[s + 1].Writer : null;
            long local = 0;
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var lead))
                {
                    await stage.ExecuteAsync(lead, context, CancellationToken.None);
                    if (writer is null)
                    {
                        local++;
                    }
                    else
                    {
                        await writer.WriteAsync(lead);
                    }
                }
            }

            Interlocked.Add(ref moved, local);
        }
    }
}

/// <summary>
/// What a .NET team would otherwise write: one TPL Dataflow block per stage, linked with completion propagation, bounded, with
/// the same degree of parallelism. Set up in Dataflow's favour: synchronous delegates (the stages complete synchronously, so no
/// Task is allocated per item) and no ordering.
/// </summary>
public static class DataflowPipeline
{
    public static async Task<long> RunAsync(Lead[] leads, ILeadStage[] stages, StageContext context, int workers, int capacity)
    {
        var options = new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = workers, BoundedCapacity = capacity, EnsureOrdered = false };
        var link = new DataflowLinkOptions { PropagateCompletion = true };
        long moved = 0;

        var first = new TransformBlock<Lead, Lead>(Step(stages[0]), options);
        var previous = first;
        for (var s = 1; s < stages.Length - 1; s++)
        {
            var block = new TransformBlock<Lead, Lead>(Step(stages[s]), options);
            previous.LinkTo(block, link);
            previous = block;
        }

        var lastStage = stages[^1];
        var last = new ActionBlock<Lead>(
            lead =>
            {
                Run(lastStage, lead, context);
                Interlocked.Increment(ref moved);
            },
            options);
        previous.LinkTo(last, link);

        foreach (var lead in leads)
        {
            await first.SendAsync(lead);
        }

        first.Complete();
        await last.Completion;
        return moved;

        Func<Lead, Lead> Step(ILeadStage stage) => lead =>
        {
            Run(stage, lead, context);
            return lead;
        };
    }

    private static void Run(ILeadStage stage, Lead lead, StageContext context)
    {
        var pending = stage.ExecuteAsync(lead, context, CancellationToken.None);
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }
}
