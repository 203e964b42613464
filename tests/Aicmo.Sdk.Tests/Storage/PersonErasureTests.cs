using Microsoft.Extensions.Time.Testing;
using System.Text.Json;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Tests.Storage;

/// <summary>Erasure by address reaches every copy of the person, keys its hash with the host's secret, and wins races.</summary>
public sealed class PersonErasureTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef-test-secret";
    private const string Address = "ada.lovelace@analytical.example";

    private static LeadCandidate Ada(string? title = "CTO") => new()
    {
        FirstName = "Ada", LastName = "Lovelace", Email = "Ada.Lovelace@Analytical.example", Title = title, CompanyName = "Analytical Engines",
        CompanyDomain = "analytical.example", CompanySize = 500, Industry = "Software", Country = "GB", Phone = "+44 20 7946 0000",
    };

    private static LeadCandidate Other(int i) => new()
    {
        FirstName = "Grace" + i, LastName = "Hopper", Email = $"grace{i}@navy.example", Title = "CTO", CompanyName = "Navy",
        CompanyDomain = "navy.example", CompanySize = 5000, Industry = "Software", Country = "US",
    };

    [Fact]
    public async Task EraseEmailAsync_PersonInThreeCampaigns_NoPlainTextIsLeftAnywhereAndTheKeyedHashSuppresses()
    {
        var sender = new RecordingEmailSender();
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o =>
            {
                o.Erasure.SuppressionHashKey = Secret;
                o.Qualification.MinScore = 0.1;
            }).AddLeadSource(new InMemoryLeadSource("crm", [Ada(), Other(1)])).AddEmailSender(sender);
        await using var provider = services.BuildServiceProvider();
        var pipeline = provider.GetRequiredService<ILeadPipeline>();
        foreach (var campaign in new[] { "one", "two", "three" })
        {
            await pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign });
        }

        var mailedBefore = sender.Sent.Count(m => m.To == Address);
        Assert.Equal(3, mailedBefore);

        var result = await provider.GetRequiredService<LeadEraser>().EraseEmailAsync(" ADA.lovelace@analytical.example ", "request #7");

        Assert.Equal(3, result.Leads.Count(l => l.Found));
        Assert.StartsWith(Aicmo.Sdk.Identity.EmailHash.KeyedPrefix, result.SuppressedAs, StringComparison.Ordinal);
        Assert.DoesNotContain(Address, await DumpAsync(provider, ["one", "two", "three"]), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Lovelace", await DumpAsync(provider, ["one", "two", "three"]), StringComparison.Ordinal);
        var suppression = provider.GetRequiredService<ISuppressionList>();
        Assert.Null(await suppression.GetAsync(Aicmo.Sdk.Identity.EmailHash.Compute(Address)!));
        Assert.NotNull(await suppression.GetAsync(result.SuppressedAs!));

        var again = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = "four" });
        Assert.Equal(1, again.Suppressed);
        Assert.Equal(mailedBefore, sender.Sent.Count(m => m.To == Address));
    }

    [Fact]
    public async Task EraseEmailAsync_WhileARunAndANurturePassAreSending_NoPlainTextIsLeftAfterwards()
    {
        var sender = new RecordingEmailSender { Latency = TimeSpan.FromMilliseconds(20) };
        var candidates = Enumerable.Range(0, 200).Select(Other).Prepend(Ada()).ToList();
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o =>
            {
                o.Erasure.SuppressionHashKey = Secret;
                o.Qualification.MinScore = 0.1;
                o.StageParallelism[StageNames.Nurture] = 4;
                o.Nurture.Sequences["enterprise-intro"] = TwoSteps();
                o.Nurture.Sequences["growth-intro"] = TwoSteps();
                o.Nurture.Sequences["smb-intro"] = TwoSteps();
            })
            .AddLeadSource(new InMemoryLeadSource("crm", candidates) { DelayPerCandidate = TimeSpan.FromMilliseconds(1) })
            .AddEmailSender(sender);
        await using var provider = services.BuildServiceProvider();
        var pipeline = provider.GetRequiredService<ILeadPipeline>();
        await pipeline.RunAsync(new PipelineRunRequest { CampaignId = "first" });

        var run = pipeline.Start(new PipelineRunRequest { CampaignId = "race" });
        var pass = provider.GetRequiredService<Aicmo.Sdk.Nurture.NurtureService>().ProcessDueAsync("first");
        while (run.Progress.Harvested < 20)
        {
            await Task.Delay(2);
        }

        await provider.GetRequiredService<LeadEraser>().EraseEmailAsync(Address, "request #8");
        var events = new List<PipelineEvent>();
        await foreach (var e in run.Events)
        {
            events.Add(e);
        }

        await run.Completion;
        await pass;

        var dump = await DumpAsync(provider, ["first", "race"]) + JsonSerializer.Serialize(events.OfType<LeadQuarantined>());
        Assert.DoesNotContain(Address, dump, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Lovelace", dump, StringComparison.Ordinal);
        Assert.Empty(sender.DuplicateKeys);
    }

    [Fact]
    public async Task ForgetAsync_ErasedPerson_IsAskedOfTheVendorAgainNotAnsweredFromTheCache()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        var vendor = new CountingProvider(() => Interlocked.Increment(ref calls));
        var enricher = new WaterfallEnricher(new WaterfallEnricherOptions { InferFromLead = false, CacheTtl = TimeSpan.FromDays(1) }, [vendor], time);
        var context = new StageContext(Guid.NewGuid(), "c", StageNames.Enrich, time, dryRun: false);
        Lead Lead() => new() { Id = Guid.NewGuid(), CampaignId = "c", IdentityKey = "e:" + Address, Email = Address };

        await enricher.EnrichAsync(Lead(), context, default);
        await enricher.EnrichAsync(Lead(), context, default);
        await enricher.ForgetAsync(new PersonalDataErasure(Address, [], ["e:" + Address]));
        await enricher.EnrichAsync(Lead(), context, default);

        Assert.Equal(2, calls);
    }

    private static NurtureSequence TwoSteps() => new()
    {
        Steps =
        {
            new NurtureStep { Subject = "Hello {{FirstName}} {{LastName}}", Template = "1 {{Title}}" },
            new NurtureStep { Subject = "Again {{FirstName}} {{LastName}}", Template = "2" },
        },
    };

    // Everything the stores hold about the campaigns, as text.
    private static async Task<string> DumpAsync(IServiceProvider provider, string[] campaigns)
    {
        var leads = provider.GetRequiredService<ILeadRepository>();
        var audit = provider.GetRequiredService<IAuditLog>();
        var text = new System.Text.StringBuilder();
        foreach (var campaign in campaigns)
        {
            foreach (var lead in await leads.QueryAsync(new LeadQuery { CampaignId = campaign, Take = 10_000 }))
            {
                text.Append(JsonSerializer.Serialize(lead)).Append(JsonSerializer.Serialize(await audit.ReadAsync(lead.Id)));
            }

            text.Append(JsonSerializer.Serialize(await provider.GetRequiredService<IRunRepository>().ListAsync(campaign)));
        }

        text.Append(JsonSerializer.Serialize(await provider.GetRequiredService<IEmailOutbox>().ListAsync(take: 100_000)));
        return text.ToString();
    }

    private sealed class CountingProvider(Action onCall) : IEnrichmentProvider
    {
        public string Name => "vendor";

        public ValueTask<IReadOnlyList<EnrichedValue>> LookupAsync(Lead lead, IReadOnlyCollection<string> missingFields, CancellationToken cancellationToken)
        {
            onCall();
            return new([new EnrichedValue("country", "GB", 0.9)]);
        }
    }
}
