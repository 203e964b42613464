using Aicmo.Sdk.Benchmarks.Infrastructure;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Testing;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>
/// The whole default pipeline on PostgreSQL in one process, its batches moved between the stages by the in-process channels
/// (the baseline) or through a RabbitMQ broker on loopback (lead ids, stored before each hand-over and read back). Needs
/// <c>AICMO_POSTGRES_CONNECTION</c> and <c>AICMO_RABBITMQ_URI</c> (<c>source .ci/services.d/rabbitmq.sh</c> starts a broker);
/// <c>AICMO_BENCH_LEADS</c> sets the candidates (default 5,000). Read the Ratio column.
/// </summary>
[Config(typeof(LongRunConfig))]
public class RabbitMqPipelineBenchmarks
{
    private LeadCandidate[] _candidates = [];
    private ServiceProvider? _services;
    private ILeadPipeline? _pipeline;
    private RecordingEmailSender? _sender;
    private PipelineRunResult? _result;
    private StoreLease? _lease;

    [ParamsSource(nameof(LeadCounts))]
    public int Leads { get; set; } = 5_000;

    public static IEnumerable<int> LeadCounts() =>
        Environment.GetEnvironmentVariable("AICMO_BENCH_LEADS") is { Length: > 0 } counts
            ? counts.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture))
            : [5_000];

    [GlobalSetup]
    public void GlobalSetup() => _candidates = SyntheticLeadSource.Generate(Leads, seed: 42);

    [IterationSetup(Target = nameof(Channels))]
    public void ChannelsSetup() => Setup(broker: false);

    [IterationSetup(Target = nameof(RabbitMq))]
    public void RabbitMqSetup() => Setup(broker: true);

    [Benchmark(Baseline = true, Description = "In-process channels, PostgreSQL")]
    public async Task<PipelineRunResult> Channels() => _result = await _pipeline!.RunAsync(new PipelineRunRequest { CampaignId = "bench" });

    [Benchmark(Description = "RabbitMQ on loopback, PostgreSQL")]
    public async Task<PipelineRunResult> RabbitMq() => _result = await _pipeline!.RunAsync(new PipelineRunRequest { CampaignId = "bench" });

    [IterationCleanup]
    public void IterationCleanup()
    {
        var result = _result ?? throw new InvalidOperationException("The run did not record a result.");
        Check.Run(result, Leads);
        Check.True(result.Contacted > 0, "some leads are contacted");
        Check.Equal(result.Contacted, _sender!.Count, "emails accepted by the transport");
        Check.Equal(0, _sender.DuplicateKeys.Count, "emails sent twice");
        _services!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _lease?.Remove();
        _lease = null;
        _result = null;
    }

    private void Setup(bool broker)
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
        if (broker)
        {
            var uri = Environment.GetEnvironmentVariable("AICMO_RABBITMQ_URI")
                ?? throw new InvalidOperationException("AICMO_RABBITMQ_URI is not set: `source .ci/services.d/rabbitmq.sh` starts a throwaway broker.");
            builder.UseRabbitMQ(uri, o => o.QueuePrefix = "bench" + Guid.NewGuid().ToString("N")[..8]);
        }

        _services = services.BuildServiceProvider();
        _pipeline = _services.GetRequiredService<ILeadPipeline>();
    }
}
