using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Tests.Pipeline;

public class PipelineEventsTests
{
    [Fact]
    public async Task Events_StreamInOrder_StartedProgressStagesCompletedThenRunCompleted()
    {
        var source = new InMemoryLeadSource("crm", Enumerable.Range(0, 300).Select(i => TestPipeline.GoodCandidate(i)))
        {
            DelayPerCandidate = TimeSpan.FromMilliseconds(1),
        };
        var failing = new ProbeStage("check", static (lead, _) =>
            lead.ExternalId == "ext-7" ? throw new ArgumentException("bad") : ValueTask.FromResult(StageResult.Continue()));
        await using var t = TestPipeline.Create(source, build: b => b.AddStage(failing));
        var run = t.Pipeline.Start(new PipelineRunRequest { CampaignId = "events" });

        var events = new List<PipelineEvent>();
        await foreach (var e in run.Events)
        {
            events.Add(e);
        }

        var result = await run.Completion;
        Assert.IsType<RunStarted>(events[0]);
        var completed = Assert.IsType<RunCompleted>(events[^1]);
        Assert.Same(result, completed.Result);
        Assert.All(events, e => Assert.Equal(run.RunId, e.RunId));
        Assert.Single(events.OfType<RunStarted>());
        Assert.Contains(events, e => e is StageProgress);

        var quarantined = Assert.Single(events.OfType<LeadQuarantined>());
        Assert.Equal("check", quarantined.Fault.Stage);

        // One StageCompleted per stage, in pipeline order (completion flows downstream).
        var stageOrder = events.OfType<StageCompleted>().Select(e => e.Statistics.Name).ToArray();
        Assert.Equal(result.Stages.Select(s => s.Name).ToArray(), stageOrder);

        // Progress never goes backwards.
        var harvested = events.OfType<StageProgress>().Select(p => p.Progress.Harvested).ToArray();
        Assert.Equal(harvested.Order().ToArray(), harvested);
    }

    [Fact]
    public async Task Events_SubscriberAfterTheRunEnded_GetsTheMilestonesReplayed()
    {
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", [TestPipeline.GoodCandidate(1)]));
        var run = t.Pipeline.Start(new PipelineRunRequest { CampaignId = "late" });
        await run.Completion;

        var events = new List<PipelineEvent>();
        await foreach (var e in run.Events)
        {
            events.Add(e);
        }

        Assert.IsType<RunStarted>(events[0]);
        Assert.IsType<RunCompleted>(events[^1]);
        Assert.Equal(7, events.OfType<StageCompleted>().Count());
    }

    [Fact]
    public async Task Events_TwoSubscribers_BothSeeTheWholeRun()
    {
        await using var t = TestPipeline.Create(new SyntheticLeadSource(500));
        var run = t.Pipeline.Start(new PipelineRunRequest { CampaignId = "two" });

        static async Task<List<PipelineEvent>> Collect(IPipelineRun r)
        {
            var list = new List<PipelineEvent>();
            await foreach (var e in r.Events)
            {
                list.Add(e);
            }

            return list;
        }

        var both = await Task.WhenAll(Collect(run), Collect(run));

        Assert.All(both, list =>
        {
            Assert.IsType<RunStarted>(list[0]);
            Assert.IsType<RunCompleted>(list[^1]);
        });
    }

    [Fact]
    public async Task Progress_WhileRunning_ReportsMonotonicCounts()
    {
        await using var t = TestPipeline.Create(new SyntheticLeadSource(2000));
        var run = t.Pipeline.Start(new PipelineRunRequest { CampaignId = "progress" });
        long last = 0;
        while (!run.Completion.IsCompleted)
        {
            var p = run.Progress;
            Assert.True(p.Harvested >= last);
            Assert.Equal(run.RunId, p.RunId);
            last = p.Harvested;
            await Task.Delay(2);
        }

        var result = await run.Completion;
        Assert.Equal(result.Harvested, run.Progress.Harvested);
    }
}
