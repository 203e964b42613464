using System.Globalization;
using Aicmo.Sdk.Benchmarks.Infrastructure;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>
/// The default pipeline with an enrichment provider that takes <see cref="LatencyMs"/> per lookup (<c>Task.Delay</c>) and is
/// asked once per lead, with <see cref="Concurrency"/> enrich workers (<c>StageParallelism["enrich"]</c>). The ceiling is
/// concurrency ÷ latency leads per second; the "% of limit" column is measured throughput over that ceiling.
/// </summary>
[Config(typeof(IoBoundConfig))]
[SmokeLeads(256)]
public class IoBoundStageBenchmarks
{
    private ServiceProvider? _services;
    private ILeadPipeline? _pipeline;
    private SimulatedLatencyProvider? _provider;
    private PipelineRunResult? _result;

    [Params(6_400)]
    public int Leads { get; set; } = 6_400;

    [Params(64)]
    public int Concurrency { get; set; } = 64;

    [Params(20)]
    public int LatencyMs { get; set; } = 20;

    [IterationSetup]
    public void IterationSetup()
    {
        _provider = new SimulatedLatencyProvider(TimeSpan.FromMilliseconds(LatencyMs));
        var services = new ServiceCollection();
        services.AddSingleton<IEnrichmentProvider>(_provider);
        services.AddAicmoPipeline(o =>
            {
                o.DegreeOfParallelism = Environment.ProcessorCount;
                o.StageParallelism[StageNames.Enrich] = Concurrency;
            })
            .AddLeadSource(new StreamingLeadSource(Leads) { DuplicateEvery = 0, NoPhoneEvery = 1 })
            .AddEmailSender(new CountingEmailSender())
            .UseNonRetainingStores();
        _services = services.BuildServiceProvider();
        _pipeline = _services.GetRequiredService<ILeadPipeline>();
    }

    [Benchmark(Description = "Enrichment provider with latency")]
    public async Task<PipelineRunResult> Run() => _result = await _pipeline!.RunAsync(new PipelineRunRequest { CampaignId = "bench" });

    [IterationCleanup]
    public void IterationCleanup()
    {
        var result = _result ?? throw new InvalidOperationException("The run did not record a result.");
        Check.Run(result, Leads, expectedDuplicates: 0);
        Check.Equal(Leads, _provider!.Calls, "provider lookups (one per lead)");
        Check.Equal(0, result.Quarantined, "quarantined leads");
        // Stores such as SQLite only dispose asynchronously; this runs outside the measurement.
        _services!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _result = null;
    }

    /// <summary>A vendor API that answers after a fixed latency with a phone number.</summary>
    public sealed class SimulatedLatencyProvider(TimeSpan latency) : IEnrichmentProvider
    {
        private long _calls;

        public string Name => "simulated-vendor";

        public long Calls => Interlocked.Read(ref _calls);

        public async ValueTask<IReadOnlyList<EnrichedValue>> LookupAsync(Lead lead, IReadOnlyCollection<string> missingFields, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
            return [new EnrichedValue(EnrichmentFields.Phone, "+1 555 0100", 0.8)];
        }
    }
}

public sealed class IoBoundConfig : ManualConfig
{
    public IoBoundConfig()
    {
        Add(new PipelineRunConfig());
        AddColumn(new LimitColumn(false), new LimitColumn(true));
    }

    /// <summary>The ceiling (concurrency ÷ latency) and the measured share of it.</summary>
    private sealed class LimitColumn(bool share) : IColumn
    {
        public string Id => nameof(LimitColumn) + share;

        public string ColumnName => share ? "% of limit" : "Limit (leads/s)";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => share ? 3 : 2;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => share ? "Measured leads/s as a share of concurrency ÷ latency" : "Concurrency ÷ latency";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            int concurrency = 0, latency = 0;
            foreach (var p in benchmarkCase.Parameters.Items)
            {
                if (p.Name == nameof(IoBoundStageBenchmarks.Concurrency)) concurrency = (int)p.Value!;
                if (p.Name == nameof(IoBoundStageBenchmarks.LatencyMs)) latency = (int)p.Value!;
            }

            var limit = concurrency * 1000.0 / latency;
            if (!share)
            {
                return limit.ToString("N0", CultureInfo.InvariantCulture);
            }

            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            return mean is > 0 ? (PerLeadColumn.LeadsOf(benchmarkCase) * 1e9 / mean.Value / limit).ToString("P1", CultureInfo.InvariantCulture) : "-";
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
