using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Tests.Pipeline;

/// <summary>A run stores each lead's state with the audit events of the changes that led to it, in one write.</summary>
public sealed class LeadTrailTests
{
    private static IEnumerable<LeadCandidate> Good(int count) => Enumerable.Range(0, count).Select(i => TestPipeline.GoodCandidate(i));

    [Fact]
    public async Task Run_LeadChangedByAnotherWriter_ItsTrailHoldsNoEventOfTheLostWrite()
    {
        // Another writer (a run that took this one over) stores a newer version of one lead while this run holds it.
        TestPipeline? t = null;
        Guid stolenId = default;
        var steal = new ProbeStage("steal", async (lead, ct) =>
        {
            if (stolenId == default)
            {
                stolenId = lead.Id;
                var stored = (await t!.Leads.GetAsync(lead.Id, ct))!;
                var newer = stored.Clone();
                newer.TransitionTo(LeadStatus.Quarantined, DateTimeOffset.UtcNow);
                Assert.True(await t.Leads.UpdateAsync(newer, stored.Version, ct));
            }

            return StageResult.Continue();
        });
        await using var pipeline = TestPipeline.Create(
            new InMemoryLeadSource("crm", Good(10)), o => o.DegreeOfParallelism = 1, b => b.AddStage(steal, StageNames.Score));
        t = pipeline;

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "stolen-trail" });

        Assert.Equal(1, result.Pending);
        var stolen = (await t.Leads.GetAsync(stolenId))!;
        var trail = await t.Audit.ReadAsync(stolenId);

        // Only the creation event: the run's enrich, score, qualify, route and nurture events went with its lost write.
        Assert.Equal([1L], trail.Select(e => e.Sequence));
        Assert.Equal(2, stolen.Version);
    }

    [Fact]
    public async Task Run_Completes_EveryTrailHoldsOneEventPerVersionAndEndsInTheStoredState()
    {
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", Good(40).Append(new LeadCandidate { CompanyName = "No identity" })));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "trails" });

        Assert.True(result.IsBalanced);
        var leads = await t.Leads.QueryAsync(new Aicmo.Sdk.Storage.LeadQuery { CampaignId = "trails", Take = 100 });
        Assert.Equal(41, leads.Count);
        foreach (var lead in leads)
        {
            var trail = await t.Audit.ReadAsync(lead.Id);
            Assert.Equal(Enumerable.Range(1, (int)lead.Version).Select(v => (long)v), trail.Select(e => e.Sequence));
            Assert.Equal(lead.Status, trail[^1].To);
        }
    }
}
