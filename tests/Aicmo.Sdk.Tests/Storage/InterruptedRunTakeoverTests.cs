using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class InterruptedRunTakeoverTests
{
    private static IEnumerable<LeadCandidate> Good(int count) => Enumerable.Range(0, count).Select(i => TestPipeline.GoodCandidate(i));

    [Fact]
    public async Task Start_SameCampaignAfterACancelledRun_TakesOverItsUnfinishedLeads()
    {
        // The first run stalls in a stage and is cancelled with leads in flight; the next run of the campaign finishes them.
        var stall = true;
        var gate = new ProbeStage("gate", async (_, ct) =>
        {
            if (Volatile.Read(ref stall))
            {
                await Task.Delay(Timeout.Infinite, ct);
            }

            return StageResult.Continue();
        });
        await using var t = TestPipeline.Create(
            new InMemoryLeadSource("crm", Good(30)),
            o =>
            {
                o.CancellationDrainTimeout = TimeSpan.FromMilliseconds(50);
                o.StageTimeout = Timeout.InfiniteTimeSpan;
            },
            b => b.AddStage(gate, StageNames.Score));
        var first = t.Pipeline.Start(new PipelineRunRequest { CampaignId = "takeover" });
        while (first.Progress.Stages.Single(s => s.Name == "gate").In < 2)
        {
            await Task.Delay(5);
        }

        first.Cancel();
        var cancelled = await first.Completion;
        Volatile.Write(ref stall, false);
        var second = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "takeover" });

        Assert.Equal(PipelineRunStatus.Cancelled, cancelled.Status);
        Assert.Equal(30, cancelled.Pending);
        Assert.Equal(30, second.Resumed);
        Assert.Equal(30, second.Duplicates);  // the source yields the same people again
        Assert.Equal(30, second.Contacted);
        Assert.True(second.IsBalanced);
        Assert.Equal(30, t.Sender.Count);
        Assert.Empty(t.Sender.DuplicateKeys);
        Assert.Equal(30, await t.Leads.CountAsync("takeover", LeadStatus.Contacted));
        var record = await t.Runs.GetAsync(cancelled.RunId);
        Assert.Equal(second.RunId, record!.TakenOverBy);

        // Every lead now answers to the run that finished it, and its trail has no gap.
        var lead = (await t.Leads.QueryAsync(new LeadQuery { CampaignId = "takeover" }))[0];
        Assert.Equal(second.RunId, lead.RunId);
        var trail = await t.Audit.ReadAsync(lead.Id);
        Assert.Equal(Enumerable.Range(1, trail.Count).Select(i => (long)i), trail.Select(e => e.Sequence));

        // A third run finds nothing left to take over.
        var third = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "takeover" });
        Assert.Equal(0, third.Resumed);
    }

    [Theory]
    [InlineData(10, true)]    // its process stopped writing the record ten minutes ago: dead
    [InlineData(0, false)]    // written just now: another host is still running it
    public async Task Start_RunLeftRunning_IsTakenOverOnlyWhenItsRecordWentStale(int minutesSinceUpdate, bool takenOver)
    {
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", []));
        var now = DateTimeOffset.UtcNow;
        var orphan = new RunRecord
        {
            RunId = Guid.NewGuid(),
            CampaignId = "orphan",
            Status = PipelineRunStatus.Running,
            StartedAt = now.AddMinutes(-minutesSinceUpdate - 1),
            UpdatedAt = now.AddMinutes(-minutesSinceUpdate),
        };
        await t.Runs.SaveAsync(orphan);
        var lead = new Lead
        {
            Id = Guid.NewGuid(), CampaignId = "orphan", IdentityKey = "e:ada1@acme-corp.com", RunId = orphan.RunId, Version = 1,
            Email = "ada1@acme-corp.com", FirstName = "Ada", LastName = "Lovelace", Title = "CTO", CompanySize = 2000, Industry = "Software",
            CompanyName = "Acme", CompanyDomain = "acme-corp.com", Country = "US", Phone = "+1 555 0100", CreatedAt = now, UpdatedAt = now,
        };
        await t.Leads.TryAddAsync(lead);
        await t.Audit.AppendAsync(new AuditEvent(lead.Id, "orphan", orphan.RunId, 1, StageNames.Dedup, null, LeadStatus.New, "harvested", now));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "orphan" });

        Assert.Equal(takenOver ? 1 : 0, result.Resumed);
        Assert.True(result.IsBalanced);
        var stored = await t.Leads.GetAsync(lead.Id);
        Assert.Equal(takenOver ? LeadStatus.Contacted : LeadStatus.New, stored!.Status);
        Assert.Equal(takenOver ? result.RunId : null, (await t.Runs.GetAsync(orphan.RunId))!.TakenOverBy);
    }

    [Fact]
    public async Task Start_WithResumeInterruptedRunsOff_LeavesInterruptedRunsAlone()
    {
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", []), o => o.ResumeInterruptedRuns = false);
        var cancelled = new RunRecord
        {
            RunId = Guid.NewGuid(), CampaignId = "manual", Status = PipelineRunStatus.Cancelled,
            StartedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
        };
        await t.Runs.SaveAsync(cancelled);

        await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "manual" });

        Assert.Null((await t.Runs.GetAsync(cancelled.RunId))!.TakenOverBy);
    }
}
