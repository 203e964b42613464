using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Tests.Pipeline;

public class LeadPipelineCancellationTests
{
    [Fact]
    public async Task RunAsync_CancelledMidRun_EndsCancelledWithEveryLeadAccountedFor()
    {
        var source = new InMemoryLeadSource("slow", Enumerable.Range(0, 100_000).Select(i => TestPipeline.GoodCandidate(i)))
        {
            DelayPerCandidate = TimeSpan.FromMilliseconds(1),
        };
        await using var t = TestPipeline.Create(source);
        using var cts = new CancellationTokenSource();
        var run = t.Pipeline.Start(new PipelineRunRequest { CampaignId = "cancel" }, cts.Token);

        // Wait until leads are flowing, then cancel.
        while (run.Progress.Stages[^1].In < 20)
        {
            await Task.Delay(5);
        }

        cts.Cancel();
        var result = await run.Completion;

        Assert.Equal(PipelineRunStatus.Cancelled, result.Status);
        Assert.InRange(result.Harvested, 20, 99_999);
        Assert.True(result.IsBalanced);

        // Graceful: leads already harvested were finished, not dropped (the drain timeout was not reached).
        Assert.Equal(0, result.Pending);
        Assert.Equal(result.Harvested, result.Contacted);
        Assert.Equal(result.Contacted, await t.Leads.CountAsync("cancel", LeadStatus.Contacted));

        // No more candidates were taken after the run ended.
        var yielded = source.Yielded;
        await Task.Delay(50);
        Assert.Equal(yielded, source.Yielded);
        Assert.Equal(PipelineRunStatus.Cancelled, (await t.Runs.GetAsync(result.RunId))!.Status);
    }

    [Fact]
    public async Task Cancel_WithStalledStage_StopsAfterTheDrainTimeoutAndCountsPending()
    {
        var stage = new ProbeStage("stall", static async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return StageResult.Continue();
        });
        var source = new InMemoryLeadSource("crm", Enumerable.Range(0, 50).Select(i => TestPipeline.GoodCandidate(i)));
        await using var t = TestPipeline.Create(
            source,
            o =>
            {
                o.CancellationDrainTimeout = TimeSpan.FromMilliseconds(100);
                o.StageTimeout = Timeout.InfiniteTimeSpan;
            },
            b => b.AddStage(stage));
        var run = t.Pipeline.Start(new PipelineRunRequest { CampaignId = "stall" });

        while (run.Progress.Stages.Single(s => s.Name == "stall").In < 2)
        {
            await Task.Delay(5);
        }

        run.Cancel();
        var result = await run.Completion;

        Assert.Equal(PipelineRunStatus.Cancelled, result.Status);
        Assert.Equal(50, result.Harvested);
        Assert.Equal(50, result.Pending);
        Assert.Equal(0, result.Quarantined);
        Assert.True(result.IsBalanced);

        // Pending leads are checkpointed in the state they reached (enriched, waiting for the stalled stage).
        Assert.Equal(50, await t.Leads.CountAsync("stall", LeadStatus.Enriched));
    }

    [Fact]
    public async Task RunAsync_TokenAlreadyCancelled_EndsCancelledWithoutHarvesting()
    {
        await using var t = TestPipeline.Create(new SyntheticLeadSource(1000));
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "pre" }, cts.Token);

        Assert.Equal(PipelineRunStatus.Cancelled, result.Status);
        Assert.True(result.Harvested < 1000);
        Assert.True(result.IsBalanced);
    }
    [Fact]
    public async Task Cancel_WhileTheSourceHoldsAPartBatch_TheCandidatesItYieldedAreStoredNotDropped()
    {
        // A source that cannot be read again (a queue, a webhook buffer) yields five candidates at once, then sees the run
        // cancelled: the five are in the runner's hands only, in a batch not full yet.
        using var cts = new CancellationTokenSource();
        var source = new CancellingSource(5, cts);
        await using var t = TestPipeline.Create(source, o => o.BatchSize = 64);

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "held" }, cts.Token);

        Assert.Equal(PipelineRunStatus.Cancelled, result.Status);
        Assert.Equal(5, result.Harvested);
        TestPipeline.AssertBalanced(result);
        Assert.Equal(5, await t.Leads.CountAsync("held"));
    }

    // Yields `count` candidates synchronously, cancels the run, then honours the cancellation as a well-behaved source does.
    private sealed class CancellingSource(int count, CancellationTokenSource cancel) : ILeadSource
    {
        public string Name => "queue";

        public async IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            for (var i = 0; i < count; i++)
            {
                yield return TestPipeline.GoodCandidate(i);
            }

            // Synchronously, so the next candidate is asked for (and refused) before the runner can hand the five on.
            await Task.CompletedTask;
            cancel.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
            yield return TestPipeline.GoodCandidate(count);
        }
    }
}
