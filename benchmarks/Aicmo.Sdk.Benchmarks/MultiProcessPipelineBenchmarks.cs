using Aicmo.Sdk.Benchmarks.Infrastructure;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Testing;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>
/// The whole default pipeline on PostgreSQL, started in this process and worked on by 0 to 3 more processes (the worker sample
/// with <c>--worker</c>, joining the run through a RabbitMQ broker on loopback), beside the in-process channels on the same
/// store (the baseline). The workers are started before and stopped after each measured run. Needs
/// <c>AICMO_POSTGRES_CONNECTION</c> and <c>AICMO_RABBITMQ_URI</c> (<c>source .ci/services.d/rabbitmq.sh</c>);
/// <c>AICMO_BENCH_LEADS</c> sets the candidates (default 5,000). Read the Ratio column: on a machine with few cores, more
/// processes share the same cores.
/// </summary>
[Config(typeof(LongRunConfig))]
public class MultiProcessPipelineBenchmarks
{
    private LeadCandidate[] _candidates = [];
    private ServiceProvider? _services;
    private ILeadPipeline? _pipeline;
    private RecordingEmailSender? _sender;
    private PipelineRunResult? _result;
    private StoreLease? _lease;
    private WorkerSampleProcesses? _workers;

    [ParamsSource(nameof(LeadCounts))]
    public int Leads { get; set; } = 5_000;

    public static IEnumerable<int> LeadCounts() => RabbitMqPipelineBenchmarks.LeadCounts();

    [GlobalSetup]
    public void GlobalSetup() => _candidates = SyntheticLeadSource.Generate(Leads, seed: 42);

    [IterationSetup(Target = nameof(Channels))]
    public void ChannelsSetup() => Setup(workers: -1);

    [IterationSetup(Target = nameof(StarterAlone))]
    public void StarterAloneSetup() => Setup(workers: 0);

    [IterationSetup(Target = nameof(StarterAndOneWorker))]
    public void StarterAndOneWorkerSetup() => Setup(workers: 1);

    [IterationSetup(Target = nameof(StarterAndTwoWorkers))]
    public void StarterAndTwoWorkersSetup() => Setup(workers: 2);

    [IterationSetup(Target = nameof(StarterAndThreeWorkers))]
    public void StarterAndThreeWorkersSetup() => Setup(workers: 3);

    [Benchmark(Baseline = true, Description = "In-process channels, 1 process")]
    public Task<PipelineRunResult> Channels() => RunAsync();

    [Benchmark(Description = "RabbitMQ, the starting process alone")]
    public Task<PipelineRunResult> StarterAlone() => RunAsync();

    [Benchmark(Description = "RabbitMQ, starter + 1 worker process")]
    public Task<PipelineRunResult> StarterAndOneWorker() => RunAsync();

    [Benchmark(Description = "RabbitMQ, starter + 2 worker processes")]
    public Task<PipelineRunResult> StarterAndTwoWorkers() => RunAsync();

    [Benchmark(Description = "RabbitMQ, starter + 3 worker processes")]
    public Task<PipelineRunResult> StarterAndThreeWorkers() => RunAsync();

    [IterationCleanup]
    public void IterationCleanup()
    {
        _workers?.Dispose();
        _workers = null;
        var result = _result ?? throw new InvalidOperationException("The run did not record a result.");
        Check.Run(result, Leads);
        Check.True(result.Contacted > 0, "some leads are contacted");
        _services!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _lease?.Remove();
        _lease = null;
        _result = null;
    }

    private async Task<PipelineRunResult> RunAsync() => _result = await _pipeline!.RunAsync(new PipelineRunRequest { CampaignId = "bench" });

    private void Setup(int workers)
    {
        _sender = new RecordingEmailSender { RetainMessages = false };
        var services = new ServiceCollection();
        var builder = services.AddAicmoPipeline(o =>
            {
                o.DegreeOfParallelism = Environment.ProcessorCount;
                o.StageParallelism[StageNames.Nurture] = 256;
                o.StageParallelism[StageNames.Dedup] = 64;
            })
            .AddLeadSource(new ArrayLeadSource(_candidates, "synthetic"))
            .AddEmailSender(_sender);
        _lease = builder.Use(StoreKind.PostgreSql);
        if (workers >= 0)
        {
            var uri = Environment.GetEnvironmentVariable("AICMO_RABBITMQ_URI")
                ?? throw new InvalidOperationException("AICMO_RABBITMQ_URI is not set: `source .ci/services.d/rabbitmq.sh` starts a throwaway broker.");
            var prefix = "bench" + Guid.NewGuid().ToString("N")[..8];
            builder.UseRabbitMQ(uri, o => o.QueuePrefix = prefix);
            _services = services.BuildServiceProvider();
            _pipeline = _services.GetRequiredService<ILeadPipeline>();

            // The schema exists before the workers open it: the starter's stores create it on first use.
            _services.GetRequiredService<Aicmo.Sdk.Storage.IRunRepository>().GetAsync(Guid.Empty).AsTask().GetAwaiter().GetResult();
            _workers = WorkerSampleProcesses.Start(workers, uri, _lease!.PostgresConnection!, _lease.PostgresSchema!, prefix);
            return;
        }

        _services = services.BuildServiceProvider();
        _pipeline = _services.GetRequiredService<ILeadPipeline>();
    }
}
