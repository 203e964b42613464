using Aicmo.Sdk.Benchmarks.Infrastructure;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Http.Enrichment;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>
/// Enrichment lookups over real HTTP (Kestrel on loopback, in this process), as the enrich stage makes them: one lookup per
/// lead, <see cref="Concurrency"/> at a time. <c>PerLead</c> (the baseline) sends one <c>GET</c> per lead;
/// <c>Batched</c> sends the same lookups through the batch endpoint, up to 50 per <c>POST</c>. Both map three fields
/// from each answer. Leads/s is lookups per second; read the Ratio and Alloc Ratio columns.
/// </summary>
[Config(typeof(HttpBenchmarkConfig))]
public class HttpEnrichmentBenchmarks
{
    private static readonly string[] Missing = [EnrichmentFields.Title, EnrichmentFields.CompanyName, EnrichmentFields.Industry];
    private LoopbackPeopleApi? _api;
    private ServiceProvider? _services;
    private HttpEnrichmentProvider? _perLead;
    private HttpEnrichmentProvider? _batched;
    private Lead[] _leads = [];

    /// <summary>Gets or sets the lookups per operation.</summary>
    [Params(2_000)]
    public int Leads { get; set; }

    /// <summary>Gets or sets how many lookups run at once (the enrich stage's parallelism).</summary>
    [Params(50)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public async Task GlobalSetup()
    {
        _api = await LoopbackPeopleApi.StartAsync(people: 0, pageSize: 100);
        var services = new ServiceCollection();
        services.AddAicmoPipeline()
            .AddHttpEnrichmentProvider("per-lead", o => Configure(o, batched: false))
            .AddHttpEnrichmentProvider("batched", o => Configure(o, batched: true));
        _services = services.BuildServiceProvider();
        _services.GetRequiredService<IStartupValidator>().Validate();
        var providers = _services.GetServices<IEnrichmentProvider>().OfType<HttpEnrichmentProvider>().ToList();
        _perLead = providers.Single(p => p.Name == "per-lead");
        _batched = providers.Single(p => p.Name == "batched");
        _leads = Enumerable.Range(0, Leads).Select(i => new Lead { Email = $"person{i}@company{i % 5000}.example" }).ToArray();
    }

    [GlobalCleanup]
    public async Task GlobalCleanup()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }

    [Benchmark(Baseline = true)]
    public Task<long> PerLead() => LookUpAllAsync(_perLead!);

    [Benchmark]
    public Task<long> Batched() => LookUpAllAsync(_batched!);

    private async Task<long> LookUpAllAsync(HttpEnrichmentProvider provider)
    {
        long values = 0;
        await Parallel.ForEachAsync(_leads, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (lead, token) =>
        {
            var found = await provider.LookupAsync(lead, Missing, token);
            Interlocked.Add(ref values, found.Count);
        });

        return values == 3L * Leads ? values : throw new InvalidOperationException($"Found {values} values, expected {3 * Leads}.");
    }

    private void Configure(HttpEnrichmentProviderOptions o, bool batched)
    {
        o.BaseAddress = _api!.BaseAddress;
        o.Path = "v1/people/match?email={email}";
        o.ResultPath = "person";
        if (batched)
        {
            o.BatchPath = "v1/people/bulk_match";
            o.BatchBody = """{"details":[{items}]}""";
            o.BatchItem = """{"email":"{email}"}""";
            o.BatchResultsPath = "matches";
            o.BatchMatchPath = "email";
            o.ResultPath = string.Empty;
            o.MaxBatchSize = 50;
            o.BatchWindow = TimeSpan.FromMilliseconds(2);
            o.IdempotentPost = true;
        }

        o.Fields[EnrichmentFields.Title] = "title";
        o.Fields[EnrichmentFields.CompanyName] = "organization.name";
        o.Fields[EnrichmentFields.Industry] = "organization.industry";
        o.Guard.AllowedPrivateEndpoints.Add(_api.Endpoint);
    }
}
