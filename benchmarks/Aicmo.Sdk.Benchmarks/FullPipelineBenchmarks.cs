using Aicmo.Sdk.Benchmarks.Infrastructure;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Testing;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>
/// The whole default pipeline (identity + dedup, inference enrichment, rule-based scoring, threshold qualification, tier
/// routing, email nurture through the outbox), wired with <c>AddAicmoPipeline()</c>, over realistic synthetic leads
/// (<see cref="SyntheticLeadSource"/>: duplicates, malformed emails, missing fields, non-ASCII names), generated before the
/// measurement. A fresh container and fresh stores for every run.
/// </summary>
[Config(typeof(FullPipelineConfig))]
public class FullPipelineBenchmarks
{
    private LeadCandidate[] _candidates = [];
    private ServiceProvider? _services;
    private ILeadPipeline? _pipeline;
    private RecordingEmailSender? _sender;
    private PipelineRunResult? _result;
    private StoreLease? _lease;

    // AICMO_BENCH_LEADS (comma-separated) replaces the default sizes, for example to run only the small one on a slow store.
    [ParamsSource(nameof(LeadCounts))]
    public int Leads { get; set; } = 10_000;

    // PostgreSQL only when AICMO_POSTGRES_CONNECTION names a server; SQLite writes a new file in the temporary directory.
    [ParamsSource(nameof(Stores))]
    public StoreKind Store { get; set; } = StoreKind.InMemory;

    public static IEnumerable<StoreKind> Stores() => PipelineStores.Available();

    public static IEnumerable<int> LeadCounts() =>
        Environment.GetEnvironmentVariable("AICMO_BENCH_LEADS") is { Length: > 0 } counts
            ? counts.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture))
            : [10_000, 100_000];

    [GlobalSetup]
    public void GlobalSetup() => _candidates = SyntheticLeadSource.Generate(Leads, seed: 42);

    [IterationSetup]
    public void IterationSetup()
    {
        _sender = new RecordingEmailSender { RetainMessages = false };
        var services = new ServiceCollection();
        var builder = services.AddAicmoPipeline(o =>
            {
                o.DegreeOfParallelism = Environment.ProcessorCount;
                if (Store is StoreKind.PostgreSql or StoreKind.Sqlite)
                {
                    // Configuration, not a change to the pipeline: with a durable store, nurture waits on commits and round trips
                    // (the outbox reservation and the mark-sent of each send, the suppression look-ups), not on the CPU. Many
                    // sends in flight let the store commit them together (SQLite's group commit, PostgreSQL's grouped
                    // statements); with PostgreSQL, dedup waits on the insert of each batch as well. AICMO_BENCH_DEDUP and
                    // AICMO_BENCH_NURTURE override the values.
                    o.StageParallelism[StageNames.Nurture] = Setting("AICMO_BENCH_NURTURE", 256);
                    o.StageParallelism[StageNames.Dedup] = Setting("AICMO_BENCH_DEDUP", Store == StoreKind.PostgreSql ? 64 : Environment.ProcessorCount);
                }
            })
            .AddLeadSource(new ArrayLeadSource(_candidates, "synthetic"))
            .AddEmailSender(_sender);
        _lease = builder.Use(Store);
        _services = services.BuildServiceProvider();
        _pipeline = _services.GetRequiredService<ILeadPipeline>();
    }

    private static int Setting(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var value) && value > 0 ? value : fallback;

    [Benchmark(Description = "Default pipeline")]
    public async Task<PipelineRunResult> Run() => _result = await _pipeline!.RunAsync(new PipelineRunRequest { CampaignId = "bench" });

    [IterationCleanup]
    public void IterationCleanup()
    {
        var result = _result ?? throw new InvalidOperationException("The run did not record a result.");
        Check.Run(result, Leads);
        Check.True(result.Duplicates > 0, "the synthetic mix holds duplicates");
        Check.True(result.Contacted > 0, "some leads are contacted");
        Check.Equal(result.Contacted, _sender!.Count, "emails accepted by the transport");
        Check.Equal(0, _sender.DuplicateKeys.Count, "emails sent twice");
        // The SQL stores are disposed asynchronously (queued writes are committed first).
        _services!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _lease?.Remove();
        _lease = null;
        _result = null;
    }
}
