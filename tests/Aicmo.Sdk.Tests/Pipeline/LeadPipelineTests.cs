using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Tests.Pipeline;

public class LeadPipelineTests
{
    [Fact]
    public async Task RunAsync_HundredSyntheticLeads_FunnelAddsUpAndMatchesTheStore()
    {
        await using var t = TestPipeline.Create(new SyntheticLeadSource(100, seed: 7));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "c100" });

        Assert.Equal(PipelineRunStatus.Completed, result.Status);
        Assert.Equal(100, result.Harvested);
        TestPipeline.AssertBalanced(result);
        Assert.Equal(0, result.Pending);
        Assert.Equal(0, result.Quarantined);
        Assert.True(result.Duplicates > 0, "the synthetic mix holds duplicates");
        Assert.True(result.Disqualified > 0, "the synthetic mix holds invalid addresses");
        Assert.True(result.Contacted > 0);

        // The store agrees with the counts: one lead per non-duplicate candidate, each in its outcome state.
        var stored = await t.Leads.CountAsync("c100");
        Assert.Equal(result.Harvested - result.Duplicates, stored);
        Assert.Equal(result.Contacted, await t.Leads.CountAsync("c100", LeadStatus.Contacted));
        Assert.Equal(result.Disqualified, await t.Leads.CountAsync("c100", LeadStatus.Disqualified));
        Assert.Equal(result.ManualReview, await t.Leads.CountAsync("c100", LeadStatus.ManualReview));
        Assert.Equal(result.Contacted, t.Sender.Count);
        Assert.Empty(t.Sender.DuplicateKeys);

        var stageNames = result.Stages.Select(s => s.Name).ToArray();
        Assert.Equal(
            [StageNames.Harvest, StageNames.Dedup, StageNames.Enrich, StageNames.Score, StageNames.Qualify, StageNames.Route, StageNames.Nurture],
            stageNames);
    }

    [Fact]
    public async Task RunAsync_OneLead_HasItsWholeJourneyInTheAuditTrailInOrder()
    {
        var source = new InMemoryLeadSource("crm", [TestPipeline.GoodCandidate(1)]);
        await using var t = TestPipeline.Create(source);

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "journey" });

        Assert.Equal(PipelineRunStatus.Completed, result.Status);
        var lead = Assert.Single(await t.Leads.QueryAsync(new LeadQuery { CampaignId = "journey" }));
        Assert.Equal(LeadStatus.Contacted, lead.Status);
        var trail = await t.Audit.ReadAsync(lead.Id);

        Assert.Equal(
            [(null, LeadStatus.New), (LeadStatus.New, LeadStatus.Enriched), (LeadStatus.Enriched, LeadStatus.Scored),
             (LeadStatus.Scored, LeadStatus.Qualified), (LeadStatus.Qualified, LeadStatus.Routed), (LeadStatus.Routed, LeadStatus.Contacted)],
            trail.Select(e => ((LeadStatus?)e.From, e.To)).ToArray());
        Assert.Equal([1L, 2, 3, 4, 5, 6], trail.Select(e => e.Sequence).ToArray());
        Assert.Equal(
            [StageNames.Dedup, StageNames.Enrich, StageNames.Score, StageNames.Qualify, StageNames.Route, StageNames.Nurture],
            trail.Select(e => e.Stage).ToArray());
        Assert.All(trail, e =>
        {
            Assert.Equal(result.RunId, e.RunId);
            Assert.Equal("journey", e.CampaignId);
            Assert.False(string.IsNullOrWhiteSpace(e.Reason));
        });
        Assert.True(trail.Zip(trail.Skip(1)).All(p => p.First.Timestamp <= p.Second.Timestamp));
        Assert.Equal(6, lead.Version);
        Assert.Equal("crm", lead.Source);
        Assert.Equal("ext-1", lead.ExternalId);
    }

    [Fact]
    public async Task RunAsync_EachStage_ProducesValidOutput()
    {
        var candidates = Enumerable.Range(0, 20).Select(i => TestPipeline.GoodCandidate(i)).ToList();
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", candidates));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "valid" });

        Assert.Equal(20, result.Contacted);
        var leads = await t.Leads.QueryAsync(new LeadQuery { CampaignId = "valid", Take = 100 });
        Assert.Equal(20, leads.Count);
        foreach (var lead in leads)
        {
            // dedup: identity from the normalized email
            Assert.True(EmailAddress.IsValid(lead.Email!));
            Assert.Equal("e:" + LeadIdentity.NormalizeEmail(lead.Email), lead.IdentityKey);

            // score: in [0, 1], components add up to it, each with a reason
            var score = Assert.IsType<LeadScore>(lead.Score);
            Assert.InRange(score.Value, 0, 1);
            Assert.NotEmpty(score.Components);
            Assert.Equal(score.Value, score.Components.Sum(c => c.Contribution), 9);
            Assert.All(score.Components, c => Assert.False(string.IsNullOrWhiteSpace(c.Reason)));
            Assert.Contains(score.Grade, new[] { "A", "B", "C", "D" });

            // qualification: a verdict with reasons
            var qualification = Assert.IsType<QualificationDecision>(lead.Qualification);
            Assert.Equal(QualificationVerdict.Qualified, qualification.Verdict);
            Assert.NotEmpty(qualification.Reasons);

            // routing: a team, an owner and a sequence
            var routing = Assert.IsType<RoutingDecision>(lead.Routing);
            Assert.NotNull(routing.Owner);
            Assert.False(string.IsNullOrWhiteSpace(routing.Sequence));
            Assert.False(string.IsNullOrWhiteSpace(routing.Team));

            // nurture: the send is recorded in the outbox under (lead, sequence, step)
            var nurture = Assert.IsType<NurtureState>(lead.Nurture);
            Assert.Equal(NurtureOutcome.Sent, nurture.Outcome);
            var entry = await t.Outbox.GetAsync(new OutboxKey(lead.Id, routing.Sequence, 1));
            Assert.NotNull(entry);
            Assert.Equal(OutboxStatus.Sent, entry.Status);
            Assert.Equal(LeadIdentity.NormalizeEmail(lead.Email), entry.To);
            Assert.False(string.IsNullOrEmpty(entry.ProviderMessageId));
        }

        // The transport received the outbox key as the idempotency key, and an unsubscribe header.
        Assert.All(t.Sender.Sent, m =>
        {
            Assert.Equal(m.Key.IdempotencyKey, m.IdempotencyKey);
            Assert.StartsWith("<https://", m.Headers["List-Unsubscribe"], StringComparison.Ordinal);
            Assert.Contains("Ada", m.Subject, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task RunAsync_LeadWithoutCompanyData_IsEnrichedFromItsAddressWithProvenance()
    {
        var candidate = new LeadCandidate { FirstName = "Kurt", LastName = "Gödel", Email = "kurt@logik.de", Title = "Head of Research" };
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 5, 1, 8, 0, 0, TimeSpan.Zero));
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", [candidate]), build: b => b.UseTimeProvider(clock));

        await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "enrich" });

        var lead = await t.Leads.FindByIdentityAsync("enrich", "e:kurt@logik.de");
        Assert.NotNull(lead);
        Assert.Equal("logik.de", lead.CompanyDomain);
        Assert.Equal("Logik", lead.CompanyName);
        Assert.Equal("DE", lead.Country);
        Assert.Equal("inference", lead.Provenance["companyDomain"].Provider);
        Assert.Equal(clock.GetUtcNow(), lead.Provenance["companyDomain"].At);
        Assert.InRange(lead.Provenance["country"].Confidence, 0, 1);
        var trail = await t.Audit.ReadAsync(lead.Id);
        Assert.Equal("3 fields enriched", trail.Single(e => e.To == LeadStatus.Enriched).Reason);
    }

    [Fact]
    public async Task RunAsync_EmptySource_CompletesWithZeroCounts()
    {
        await using var t = TestPipeline.Create(new InMemoryLeadSource("empty", []));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "empty" });

        Assert.Equal(PipelineRunStatus.Completed, result.Status);
        Assert.Equal(0, result.Harvested);
        Assert.Equal(0, result.SuccessRate);
        Assert.True(result.IsBalanced);
        Assert.All(result.Stages, s => Assert.Equal(0, s.In));
        Assert.Equal(7, result.Stages.Count);
        var record = await t.Runs.GetAsync(result.RunId);
        Assert.NotNull(record);
        Assert.Equal(PipelineRunStatus.Completed, record.Status);
    }

    [Fact]
    public async Task RunAsync_SuccessRateAndDurations_AggregateFromStages()
    {
        var candidates = Enumerable.Range(0, 40).Select(i => TestPipeline.GoodCandidate(i)).ToList();

        // Ten of the forty cannot be reached: malformed addresses are disqualified.
        for (var i = 0; i < 10; i++)
        {
            candidates[i].Email = "broken-address-" + i;
        }

        var slow = new ProbeStage("slow", static async (_, ct) =>
        {
            await Task.Delay(2, ct);
            return StageResult.Continue();
        });
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", candidates), build: b => b.AddStage(slow, StageNames.Score));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "rates" });

        Assert.Equal(40, result.Harvested);
        Assert.Equal(30, result.Contacted);
        Assert.Equal(10, result.Disqualified);
        Assert.Equal(30, result.Final);
        Assert.Equal(0.75, result.SuccessRate, 9);
        TestPipeline.AssertBalanced(result);

        // Each stage finishes within the run; the slow stage worked at least 40 x 2 ms in total.
        Assert.All(result.Stages, s => Assert.InRange(s.Duration, TimeSpan.Zero, result.Duration));
        var slowStats = result.Stage("slow");
        Assert.True(slowStats.BusyTime >= TimeSpan.FromMilliseconds(80), $"busy {slowStats.BusyTime}");
        Assert.Equal(40, slowStats.In); // it runs after scoring, before qualification
        Assert.True(result.CompletedAt >= result.StartedAt);
        Assert.True(result.Throughput > 0);
    }

    [Fact]
    public async Task Start_TenRunsAtOnceOnOnePipeline_EachRunIsIsolatedAndBalanced()
    {
        var sources = new SyntheticLeadSource(300, seed: 11);
        await using var t = TestPipeline.Create(sources);

        var runs = Enumerable.Range(0, 10)
            .Select(i => t.Pipeline.Start(new PipelineRunRequest { CampaignId = "campaign-" + i }))
            .ToArray();
        var results = await Task.WhenAll(runs.Select(r => r.Completion));

        Assert.Equal(10, results.Select(r => r.RunId).Distinct().Count());
        var first = results[0];
        foreach (var result in results)
        {
            Assert.Equal(PipelineRunStatus.Completed, result.Status);
            TestPipeline.AssertBalanced(result);

            // Same data in separate campaigns: the same funnel, no cross-talk.
            Assert.Equal(first.Harvested, result.Harvested);
            Assert.Equal(first.Duplicates, result.Duplicates);
            Assert.Equal(first.Contacted, result.Contacted);
            Assert.Equal(first.Disqualified, result.Disqualified);
            Assert.Equal(result.Harvested - result.Duplicates, await t.Leads.CountAsync(result.CampaignId));
        }

        Assert.Equal(first.Contacted * 10, t.Sender.Count);
        Assert.Empty(t.Sender.DuplicateKeys);
    }

    [Fact]
    public async Task RunAsync_MaxLeads_TakesNoMoreThanAskedAcrossSources()
    {
        var a = new SyntheticLeadSource(new SyntheticLeadOptions { Count = 500, Seed = 1, Name = "a" });
        var b = new SyntheticLeadSource(new SyntheticLeadOptions { Count = 500, Seed = 2, Name = "b" });
        await using var t = TestPipeline.Create([a, b]);

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "capped", MaxLeads = 123 });

        Assert.Equal(123, result.Harvested);
        Assert.Equal(PipelineRunStatus.Completed, result.Status);
        TestPipeline.AssertBalanced(result);
    }

    [Fact]
    public async Task RunAsync_SecondRunOfSameCampaign_FindsEveryCandidateADuplicateEvenWithoutAnIdentity()
    {
        await using var t = TestPipeline.Create(new SyntheticLeadSource(200, seed: 3));

        var first = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "again" });
        var second = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "again" });

        // Candidates with nothing to identify them by get a key derived from their source and record, so they match too.
        Assert.True(first.Stage(StageNames.Dedup).Disqualified > 0, "the synthetic source yielded no candidate without an identity");
        Assert.Equal(0, second.Stage(StageNames.Dedup).Disqualified);
        Assert.Equal(200, second.Harvested);
        Assert.Equal(200, second.Duplicates);
        Assert.Equal(0, second.Contacted);
        Assert.Equal(first.Contacted, t.Sender.Count);
        TestPipeline.AssertBalanced(second);
    }

    [Fact]
    public async Task RunAsync_DryRun_RecordsTheSendWithoutCallingTheSender()
    {
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", [TestPipeline.GoodCandidate(1)]), o => o.DryRun = true);

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "dry" });

        Assert.Equal(1, result.Routed);
        Assert.Equal(0, result.Contacted);
        Assert.Equal(0, t.Sender.Count);
        var entries = await t.Outbox.ListAsync(OutboxStatus.DryRun);
        Assert.Single(entries);
        TestPipeline.AssertBalanced(result);
    }

    [Fact]
    public async Task RunAsync_SuppressedRecipient_IsNotMailedAndCountsAsSuppressed()
    {
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", [TestPipeline.GoodCandidate(1), TestPipeline.GoodCandidate(2)]));
        await t.Suppression.AddAsync(new SuppressionEntry(" ADA1@acme-corp.com", SuppressionReason.Unsubscribed, DateTimeOffset.UnixEpoch));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "suppress" });

        Assert.Equal(1, result.Suppressed);
        Assert.Equal(1, result.Contacted);
        Assert.DoesNotContain(t.Sender.Sent, m => m.To == "ada1@acme-corp.com");
        var lead = await t.Leads.FindByIdentityAsync("suppress", "e:ada1@acme-corp.com");
        Assert.Equal(LeadStatus.Unsubscribed, lead!.Status);
        Assert.Equal(ConsentState.Suppressed, lead.Consent);
        TestPipeline.AssertBalanced(result);
    }

    [Fact]
    public async Task RunAsync_HeaderInjectionInName_NeverReachesTheSender()
    {
        var candidate = TestPipeline.GoodCandidate(1);
        candidate.FirstName = "Ada\r\nBcc: everyone@example.com";
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", [candidate, TestPipeline.GoodCandidate(2)]));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "inject" });

        // Qualification refuses hostile input before routing; the clean lead is mailed.
        Assert.Equal(1, t.Sender.Count);
        Assert.Equal(1, result.Disqualified);
        var lead = await t.Leads.FindByIdentityAsync("inject", "e:ada1@acme-corp.com");
        Assert.Equal(LeadStatus.Disqualified, lead!.Status);
        Assert.NotEmpty(lead.Qualification!.Reasons);
        Assert.DoesNotContain(t.Sender.Sent, m => m.To == "ada1@acme-corp.com");
        TestPipeline.AssertBalanced(result);
    }

    [Fact]
    public async Task RunAsync_CandidateWithNothingToIdentify_IsStoredDisqualifiedWithReason()
    {
        var candidate = new LeadCandidate { FirstName = "No", LastName = "Contact", Title = "CEO" };
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", [candidate]));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "anon" });

        Assert.Equal(1, result.Disqualified);
        Assert.Equal(1, result.Stage(StageNames.Dedup).Disqualified);
        var lead = Assert.Single(await t.Leads.QueryAsync(new LeadQuery { CampaignId = "anon" }));
        Assert.Equal(LeadStatus.Disqualified, lead.Status);
        Assert.Contains("identify", Assert.Single(lead.Qualification!.Reasons), StringComparison.Ordinal);
        TestPipeline.AssertBalanced(result);
    }
}
