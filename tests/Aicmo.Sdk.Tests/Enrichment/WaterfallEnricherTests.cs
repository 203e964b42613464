using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Tests.Support;
using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Stages;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Tests.Enrichment;

public sealed class WaterfallEnricherTests
{
    private sealed class FakeProvider(string name, Func<Lead, IReadOnlyCollection<string>, CancellationToken, Task<IReadOnlyList<EnrichedValue>>> lookup) : IEnrichmentProvider
    {
        private int _calls;

        public FakeProvider(string name, params EnrichedValue[] values)
            : this(name, (_, fields, _) => Task.FromResult<IReadOnlyList<EnrichedValue>>(values.Where(v => fields.Contains(v.Field)).ToArray()))
        {
        }

        public string Name { get; } = name;

        public int Calls => Volatile.Read(ref _calls);

        public List<string[]> Requests { get; } = [];

        public async ValueTask<IReadOnlyList<EnrichedValue>> LookupAsync(Lead lead, IReadOnlyCollection<string> missingFields, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            lock (Requests)
            {
                Requests.Add(missingFields.ToArray());
            }

            return await lookup(lead, missingFields, cancellationToken);
        }
    }

    private static Lead Sparse(string email = "ada@analytical.io") => new()
    {
        Id = Guid.NewGuid(),
        CampaignId = "test",
        IdentityKey = "e:" + email,
        Email = email,
        FirstName = "Ada",
        CreatedAt = TestLeads.Now,
    };

    private static StageContext Context(TimeProvider time) => TestLeads.Context(time, stage: StageNames.Enrich);

    [Fact]
    public async Task EnrichAsync_ProviderThrowsPipelineFatalException_ItIsNotSwallowedAsANote()
    {
        var time = new FakeTimeProvider(TestLeads.Now);
        var fatal = new FakeProvider("revoked", (_, _, _) => throw new PipelineFatalException("the vendor revoked our API key"));
        var enricher = new WaterfallEnricher(new WaterfallEnricherOptions { InferFromLead = false }, [fatal], time);

        var error = await Assert.ThrowsAsync<PipelineFatalException>(async () => await enricher.EnrichAsync(Sparse(), Context(time), default));

        Assert.Equal("the vendor revoked our API key", error.Message);
    }

    [Fact]
    public async Task EnrichAsync_FirstValidValuePerFieldWins_WithProvenance()
    {
        var time = new FakeTimeProvider(TestLeads.Now);
        var cheap = new FakeProvider("cheap", new EnrichedValue("country", "Germany", 0.9), new EnrichedValue("industry", "Software", 0.7));
        var premium = new FakeProvider("premium", new EnrichedValue("country", "de", 0.95), new EnrichedValue("industry", "Fintech", 0.99), new EnrichedValue("companySize", "250", 0.8));
        var options = new WaterfallEnricherOptions { InferFromLead = false };
        var enricher = new WaterfallEnricher(options, [cheap, premium], time);
        var lead = Sparse();

        var result = await enricher.EnrichAsync(lead, Context(time), default);

        Assert.Equal("DE", lead.Country); // "Germany" failed the country validator, so the next provider was asked
        Assert.Equal("Software", lead.Industry); // the first valid value wins; premium was not asked for it
        Assert.Equal(250, lead.CompanySize);
        Assert.Equal(new FieldProvenance("premium", TestLeads.Now, 0.95), lead.Provenance["country"]);
        Assert.Equal(new FieldProvenance("cheap", TestLeads.Now, 0.7), lead.Provenance["industry"]);
        Assert.DoesNotContain("industry", premium.Requests.Single());
        Assert.StartsWith("3 fields enriched", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnrichAsync_PerFieldOrderAndMinimumConfidence_AreHonoured()
    {
        var time = new FakeTimeProvider(TestLeads.Now);
        var a = new FakeProvider("a", new EnrichedValue("industry", "Retail", 0.9), new EnrichedValue("title", "CTO", 0.3));
        var b = new FakeProvider("b", new EnrichedValue("industry", "Software", 0.9), new EnrichedValue("title", "VP Sales", 0.9));
        var options = new WaterfallEnricherOptions
        {
            InferFromLead = false,
            Fields =
            {
                ["industry"] = new FieldWaterfall { Providers = { "b", "a" } },
                ["title"] = new FieldWaterfall { MinConfidence = 0.5 },
            },
        };
        var lead = Sparse();

        await new WaterfallEnricher(options, [a, b], time).EnrichAsync(lead, Context(time), default);

        Assert.Equal("Software", lead.Industry);
        Assert.Equal("VP Sales", lead.Title);
    }

    [Fact]
    public async Task EnrichAsync_SamePersonWithinTheTtl_IsServedFromTheCache()
    {
        var time = new FakeTimeProvider(TestLeads.Now);
        var provider = new FakeProvider("p", new EnrichedValue("industry", "Software", 0.9));
        var enricher = new WaterfallEnricher(new WaterfallEnricherOptions { InferFromLead = false, CacheTtl = TimeSpan.FromHours(1) }, [provider], time);

        await enricher.EnrichAsync(Sparse(), Context(time), default);
        var cached = Sparse();
        await enricher.EnrichAsync(cached, Context(time), default);
        Assert.Equal(1, provider.Calls);
        Assert.Equal("Software", cached.Industry);
        Assert.Equal("p", cached.Provenance["industry"].Provider);

        time.Advance(TimeSpan.FromHours(1));
        await enricher.EnrichAsync(Sparse(), Context(time), default);
        Assert.Equal(2, provider.Calls);
    }

    [Fact]
    public async Task EnrichAsync_BudgetPerRun_CapsProviderCalls()
    {
        var time = new FakeTimeProvider(TestLeads.Now);
        var provider = new FakeProvider("p", new EnrichedValue("industry", "Software", 0.9));
        var enricher = new WaterfallEnricher(new WaterfallEnricherOptions { InferFromLead = false, MaxProviderCallsPerRun = 3 }, [provider], time);
        var run = Context(time);

        var results = new List<EnrichmentResult>();
        for (var i = 0; i < 10; i++)
        {
            results.Add(await enricher.EnrichAsync(Sparse($"p{i}@analytical.io"), run, default));
        }

        Assert.Equal(3, provider.Calls);
        Assert.Contains("budget of 3 provider calls for this run spent", results[^1].Reason, StringComparison.Ordinal);

        await enricher.EnrichAsync(Sparse("next-run@analytical.io"), Context(time), default);
        Assert.Equal(4, provider.Calls);
    }

    [Fact]
    public async Task EnrichAsync_FailingProvider_FallsThroughAndIsCircuitBrokenWhileItKeepsFailing()
    {
        var time = new FakeTimeProvider(TestLeads.Now);
        var healthy = true;
        var flaky = new FakeProvider("flaky", (_, _, _) => healthy
            ? Task.FromResult<IReadOnlyList<EnrichedValue>>([new EnrichedValue("industry", "Media", 0.9)])
            : throw new HttpRequestException("503"));
        var backup = new FakeProvider("backup", new EnrichedValue("industry", "Software", 0.9));
        var options = new WaterfallEnricherOptions { InferFromLead = false, CacheTtl = TimeSpan.Zero, BreakerMinimumThroughput = 4, BreakerBreakDuration = TimeSpan.FromMinutes(1) };
        var enricher = new WaterfallEnricher(options, [flaky, backup], time);

        healthy = false;
        var leads = Enumerable.Range(0, 10).Select(i => Sparse($"l{i}@analytical.io")).ToArray();
        var results = new List<EnrichmentResult>();
        foreach (var lead in leads)
        {
            results.Add(await enricher.EnrichAsync(lead, Context(time), default));
        }

        Assert.All(leads, l => Assert.Equal("Software", l.Industry));
        Assert.All(leads, l => Assert.Equal("backup", l.Provenance["industry"].Provider));
        Assert.Equal(4, flaky.Calls); // then the circuit opened and the provider was skipped
        Assert.Contains("provider flaky skipped (circuit open)", results[^1].Reason, StringComparison.Ordinal);

        healthy = true;
        time.Advance(TimeSpan.FromMinutes(1));
        var recovered = Sparse("recovered@analytical.io");
        await enricher.EnrichAsync(recovered, Context(time), default);
        Assert.Equal("Media", recovered.Industry);
    }

    [Fact]
    public async Task EnrichAsync_ProviderTimesOut_NextProviderIsAsked()
    {
        var time = new FakeTimeProvider(TestLeads.Now);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hanging = new FakeProvider("hanging", async (_, _, token) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return [];
        });
        var backup = new FakeProvider("backup", new EnrichedValue("industry", "Software", 0.9));
        var enricher = new WaterfallEnricher(new WaterfallEnricherOptions { InferFromLead = false, ProviderTimeout = TimeSpan.FromSeconds(2) }, [hanging, backup], time);
        var lead = Sparse();

        var pending = enricher.EnrichAsync(lead, Context(time), default).AsTask();
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(2));
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("Software", lead.Industry);
        Assert.Contains("provider hanging timed out", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnrichAsync_InvalidValues_AreNeverApplied()
    {
        var time = new FakeTimeProvider(TestLeads.Now);
        var bad = new FakeProvider(
            "bad",
            new EnrichedValue("companyDomain", "not a domain", 0.9),
            new EnrichedValue("companySize", "-5", 0.9),
            new EnrichedValue("phone", "call me", 0.9),
            new EnrichedValue("title", "CTO\r\nBcc: x@y.z", 0.9));
        var lead = Sparse("ada@gmail.com");

        await new WaterfallEnricher(new WaterfallEnricherOptions(), [bad], time).EnrichAsync(lead, Context(time), default);

        Assert.Null(lead.CompanyDomain);
        Assert.Null(lead.CompanySize);
        Assert.Null(lead.Phone);
        Assert.Null(lead.Title);
    }

    [Fact]
    public void Constructor_WaterfallNamingAnUnknownProvider_FailsNamingTheOption()
    {
        var options = new WaterfallEnricherOptions { Fields = { ["industry"] = new FieldWaterfall { Providers = { "ghost" } }, ["shoeSize"] = new FieldWaterfall() } };

        var ex = Assert.Throws<ArgumentException>(() => new WaterfallEnricher(options, [new FakeProvider("real")]));

        Assert.Contains("WaterfallEnricherOptions.Fields[\"industry\"].Providers names 'ghost'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("WaterfallEnricherOptions.Fields[\"shoeSize\"] is not an enrichable field", ex.Message, StringComparison.Ordinal);
    }
}
