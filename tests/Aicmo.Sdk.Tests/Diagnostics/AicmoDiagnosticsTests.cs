using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Aicmo.Sdk.Diagnostics;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Tests.Diagnostics;

// Metrics and activities are process-wide, so these tests filter what they observe to their own campaign or stage.
public class AicmoDiagnosticsTests
{
    [Fact]
    public async Task Run_EmitsLeadsProcessedPerStageAndOutcome_AndSends()
    {
        var processed = new ConcurrentDictionary<(string Stage, string Outcome), long>();
        var sends = new ConcurrentDictionary<string, long>();
        var depthSeen = new ConcurrentBag<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AicmoDiagnostics.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var stage = Tag(tags, "stage");
            var outcome = Tag(tags, "outcome");
            if (instrument.Name == "aicmo.pipeline.leads.processed" && stage == "metric-probe")
            {
                processed.AddOrUpdate((stage, outcome!), value, (_, v) => v + value);
            }
            else if (instrument.Name == "aicmo.pipeline.sends")
            {
                sends.AddOrUpdate(outcome!, value, (_, v) => v + value);
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "aicmo.pipeline.queue.depth")
            {
                depthSeen.Add(Tag(tags, "stage")!);
            }
        });
        listener.Start();

        var probe = new ProbeStage("metric-probe", static (lead, _) =>
            lead.ExternalId == "ext-2" ? throw new ArgumentException("nope") : ValueTask.FromResult(StageResult.Continue()));
        var source = new InMemoryLeadSource("crm", Enumerable.Range(0, 10).Select(i => TestPipeline.GoodCandidate(i)))
        {
            DelayPerCandidate = TimeSpan.FromMilliseconds(2),
        };
        await using var t = TestPipeline.Create(source, build: b => b.AddStage(probe));
        var run = t.Pipeline.Start(new PipelineRunRequest { CampaignId = "metrics" });
        while (!run.Completion.IsCompleted)
        {
            listener.RecordObservableInstruments();
            await Task.Delay(1);
        }

        await run.Completion;

        Assert.Equal(9, processed[("metric-probe", "continued")]);
        Assert.Equal(1, processed[("metric-probe", "quarantined")]);
        Assert.True(sends.GetValueOrDefault("sent") >= 9);
        Assert.Contains("metric-probe", depthSeen);
    }

    [Fact]
    public async Task Run_StartsARunActivityWithItsIdsAndStatus()
    {
        var activities = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == AicmoDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);

        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", [TestPipeline.GoodCandidate(1)]));
        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "traced" });

        var runActivity = Assert.Single(activities, a => a.OperationName == "aicmo.pipeline.run" && Equals(a.GetTagItem("aicmo.run.id"), result.RunId));
        Assert.Equal("traced", runActivity.GetTagItem("aicmo.campaign.id"));
        Assert.Equal("Completed", runActivity.GetTagItem("aicmo.run.status"));
        Assert.Contains(activities, a => a.OperationName == "aicmo.stage.score" && a.ParentId == runActivity.Id);
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
