using Aicmo.Sdk.Benchmarks.Infrastructure;
using Aicmo.Sdk.Pipeline;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>
/// The default pipeline over 100k, 200k and 1M leads streamed from a generator (no candidate array), against stores that keep
/// no lead (<see cref="PipelineStores.UseNonRetainingStores"/>): time should grow linearly with the count. Peak working set is
/// measured separately, one process per count, by the <c>--memory</c> mode (see <see cref="MemoryProbe"/>).
/// </summary>
[Config(typeof(LongRunConfig))]
public class ScalingBenchmarks
{
    private ServiceProvider? _services;
    private ILeadPipeline? _pipeline;
    private CountingEmailSender? _sender;
    private StreamingLeadSource? _source;
    private PipelineRunResult? _result;

    [Params(100_000, 200_000, 1_000_000)]
    public int Leads { get; set; } = 100_000;

    [IterationSetup]
    public void IterationSetup() => (_services, _pipeline, _source, _sender) = Build(Leads);

    [Benchmark(Description = "Default pipeline, streamed, non-retaining stores")]
    public async Task<PipelineRunResult> Run() => _result = await _pipeline!.RunAsync(new PipelineRunRequest { CampaignId = "bench" });

    [IterationCleanup]
    public void IterationCleanup()
    {
        Verify(_result ?? throw new InvalidOperationException("The run did not record a result."), Leads, _source!, _sender!);
        // Stores such as SQLite only dispose asynchronously; this runs outside the measurement.
        _services!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _result = null;
    }

    internal static (ServiceProvider Services, ILeadPipeline Pipeline, StreamingLeadSource Source, CountingEmailSender Sender) Build(int leads)
    {
        var sender = new CountingEmailSender();
        var source = new StreamingLeadSource(leads);
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o => o.DegreeOfParallelism = Environment.ProcessorCount)
            .AddLeadSource(source)
            .AddEmailSender(sender)
            .UseNonRetainingStores();
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<ILeadPipeline>(), source, sender);
    }

    internal static void Verify(PipelineRunResult result, int leads, StreamingLeadSource source, CountingEmailSender sender)
    {
        Check.Run(result, leads, expectedDuplicates: source.Duplicates);
        Check.Equal(result.Contacted, sender.Count, "emails accepted by the transport");
        Check.True(result.Contacted > 0, "some leads are contacted");
    }
}
