using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Testing;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Storage.Tests;

/// <summary>
/// The intake policy on a real store: a candidate carrying a refused character (NUL above all, which PostgreSQL's jsonb cannot
/// hold) is rejected with its reason, a stage that writes one gets its lead quarantined and stored without it, and no run fails
/// on either. Also: candidates without an identity are stored once however often they are read.
/// </summary>
public abstract class IntakePolicyTestsBase
{
    private static readonly string[] TextFields =
        ["ExternalId", "FirstName", "LastName", "Email", "Title", "Phone", "TimeZone", "CompanyName", "CompanyDomain", "Industry", "Country"];

    /// <summary>Builds a pipeline on the store under test, with <paramref name="pipeline"/> adding sources and stages.</summary>
    protected abstract (IServiceProvider Services, IAsyncDisposable Owner) Open(Action<IAicmoPipelineBuilder> pipeline);

    private static LeadCandidate Good(int i) => new()
    {
        ExternalId = "ext-" + i,
        FirstName = "Ada" + i,
        LastName = "Lovelace",
        Email = $"ada{i}@acme-corp.com",
        Title = "VP of Engineering",
        CompanyName = "Acme Corp",
        CompanyDomain = "acme-corp.com",
        Industry = "Software",
        CompanySize = 1200,
        Country = "US",
    };

    [StoreFact]
    public async Task Run_RefusedCharacterInEveryField_EachCandidateIsRejectedWithItsReasonAndTheRunBalances()
    {
        var hostile = new List<(LeadCandidate Candidate, string Field)>();
        var n = 0;
        foreach (var field in TextFields)
        {
            foreach (var bad in new[] { "\0", "\u0007", "\u2028", "\u0085" })
            {
                var c = Good(1000 + n++);
                var property = typeof(LeadCandidate).GetProperty(field)!;
                property.SetValue(c, (string?)property.GetValue(c) + bad + "x");
                c.SourcePosition = "row " + n;
                hostile.Add((c, field));
            }
        }

        var withAttribute = Good(2000);
        withAttribute.Attributes = new Dictionary<string, string> { ["notes"] = "a\0b" };
        hostile.Add((withAttribute, "attribute 'notes'"));
        var good = Enumerable.Range(0, 20).Select(Good).ToList();

        var (services, owner) = Open(b => b.AddLeadSource(new InMemoryLeadSource("crm", [.. good, .. hostile.Select(h => h.Candidate)])));
        await using var _ = owner;
        var result = await services.GetRequiredService<ILeadPipeline>().RunAsync(new PipelineRunRequest { CampaignId = ContractTestData.NewCampaignId() });

        Assert.True(result.Status is PipelineRunStatus.Completed or PipelineRunStatus.CompletedWithErrors, string.Join("; ", result.Errors));
        Assert.Empty(result.Errors);
        Assert.Equal(hostile.Count, result.Rejected);
        Assert.Equal(good.Count + hostile.Count, result.Harvested);
        Assert.True(result.IsBalanced);
        Assert.Equal(good.Count, await services.GetRequiredService<ILeadRepository>().CountAsync(result.CampaignId));

        var rejections = await services.GetRequiredService<IRejectionLog>().ListAsync(result.RunId, take: 1000);
        Assert.Equal(hostile.Count, rejections.Count);
        foreach (var (candidate, field) in hostile)
        {
            var rejection = Assert.Single(rejections, r => r.Position == candidate.SourcePosition || (candidate.SourcePosition is null && r.Reason.Contains("notes", StringComparison.Ordinal)));
            Assert.StartsWith(field, rejection.Reason, StringComparison.Ordinal);
            Assert.Contains("control character (U+", rejection.Reason, StringComparison.Ordinal);
            Assert.Equal("crm", rejection.Source);
        }
    }

    [StoreFact]
    public async Task Run_SourceRefusesARecord_CountedRejectedWithItsPositionAndReason()
    {
        var refused = new LeadCandidate { SourcePosition = "line 7", RejectionReason = "line 7: wrong column count (expected 9, found 4)" };
        var (services, owner) = Open(b => b.AddLeadSource(new InMemoryLeadSource("file", [Good(1), refused, Good(2)])));
        await using var _ = owner;

        var result = await services.GetRequiredService<ILeadPipeline>().RunAsync(new PipelineRunRequest { CampaignId = ContractTestData.NewCampaignId() });

        Assert.Equal(1, result.Rejected);
        Assert.Equal(1, result.Stage(StageNames.Dedup).Rejected);
        Assert.True(result.IsBalanced);
        var rejection = Assert.Single(await services.GetRequiredService<IRejectionLog>().ListAsync(result.RunId));
        Assert.Equal(("line 7", "line 7: wrong column count (expected 9, found 4)"), (rejection.Position, rejection.Reason));
    }

    [StoreFact]
    public async Task Run_EnricherWritesARefusedCharacter_LeadIsQuarantinedAndStoredWithoutItAndTheNextRunIsUnaffected()
    {
        var (services, owner) = Open(b => b.AddLeadSource(new InMemoryLeadSource("crm", Enumerable.Range(0, 10).Select(Good).ToList())).AddEnricher<NulWritingEnricher>());
        await using var _ = owner;
        var pipeline = services.GetRequiredService<ILeadPipeline>();
        var campaign = ContractTestData.NewCampaignId();

        var result = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign });
        var again = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign });

        Assert.Equal(5, result.Quarantined);
        Assert.True(result.IsBalanced);
        Assert.Empty(result.Errors);
        Assert.NotEqual(PipelineRunStatus.Failed, again.Status);
        Assert.Equal(10, again.Duplicates);
        var leads = await services.GetRequiredService<ILeadRepository>().QueryAsync(new LeadQuery { CampaignId = campaign, Status = LeadStatus.Quarantined });
        Assert.Equal(5, leads.Count);
        Assert.All(leads, l =>
        {
            Assert.Equal("CTOx", l.Title);
            Assert.Equal("ab", l.Attributes["vendor.note"]);
            Assert.Contains("U+0000", l.Fault!.Message, StringComparison.Ordinal);
        });
    }

    [StoreFact]
    public async Task Run_CandidatesWithoutIdentityReadTwice_AreStoredOnce()
    {
        LeadCandidate[] nameless =
        [
            new() { ExternalId = "row-1", Title = "Founder" },
            new() { Title = "Founder", CompanyName = "No Domain Inc" },
            new(),
        ];
        var (services, owner) = Open(b => b.AddLeadSource(new InMemoryLeadSource("import", nameless)));
        await using var _ = owner;
        var pipeline = services.GetRequiredService<ILeadPipeline>();
        var campaign = ContractTestData.NewCampaignId();

        var first = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign });
        var second = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign });

        Assert.Equal(3, first.Disqualified);
        Assert.Equal(3, second.Duplicates);
        Assert.Equal(3, await services.GetRequiredService<ILeadRepository>().CountAsync(campaign));
    }

    /// <summary>An enrichment vendor that answers with a NUL in every other lead's title and attributes.</summary>
    private sealed class NulWritingEnricher : ILeadEnricher
    {
        public ValueTask<EnrichmentResult> EnrichAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
        {
            if (lead.FirstName![^1] % 2 == 0)
            {
                lead.Title = "CTO\0x";
                lead.Attributes["vendor.note"] = "a\0b";
                return new(new EnrichmentResult(2, "vendor answered"));
            }

            return new(new EnrichmentResult(0, "nothing new"));
        }
    }
}
