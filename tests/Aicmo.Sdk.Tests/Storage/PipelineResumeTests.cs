using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class PipelineResumeTests
{
    [Fact]
    public async Task ResumeAsync_CancelledRun_FinishesEveryLeadOnceWithoutSendingTwice()
    {
        var sender = new RecordingEmailSender { Latency = TimeSpan.FromMilliseconds(2) };
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o =>
        {
            // Small channels and no drain: cancelling leaves candidates unharvested and leads in flight, as a crash would.
            o.DryRun = false;
            o.ChannelCapacity = 8;
            o.CancellationDrainTimeout = TimeSpan.Zero;
        }).AddLeadSource(new SyntheticLeadSource(400)).AddEmailSender(sender);
        await using var provider = services.BuildServiceProvider();
        var pipeline = provider.GetRequiredService<ILeadPipeline>();
        var run = pipeline.Start(new PipelineRunRequest { CampaignId = "resume" });
        while (run.Progress.Stages.Sum(s => s.Finished) < 50)
        {
            await Task.Delay(5);
        }

        run.Cancel();
        var cancelled = await run.Completion;
        var resumed = await pipeline.ResumeAsync(run.RunId);

        Assert.Equal(PipelineRunStatus.Cancelled, cancelled.Status);
        Assert.True(resumed.IsBalanced);
        Assert.True(resumed.Resumed > 0);
        Assert.Equal(run.RunId, resumed.RunId);
        Assert.Empty(sender.DuplicateKeys);
        var leads = provider.GetRequiredService<ILeadRepository>();
        var all = await leads.QueryAsync(new LeadQuery { CampaignId = "resume", Take = 1000 });
        Assert.All(all, l => Assert.True(LeadStateMachine.IsTerminalForPipeline(l.Status) || l.Status == LeadStatus.Routed, l.ToString()));
        Assert.Equal(all.Count(l => l.Status == LeadStatus.Contacted), sender.Count);
        var source = new SyntheticLeadSource(400).Name;
        var expected = SyntheticLeadSource.Generate(400)
            .Select(c => Aicmo.Sdk.Identity.LeadIdentity.ComputeKey(c.Email, c.CompanyDomain, c.FirstName, c.LastName) ?? Aicmo.Sdk.Identity.LeadIdentity.ComputeFallbackKey(c, source))
            .Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(expected, all.Select(l => l.IdentityKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ResumeAsync_UnknownOrCompletedRun_Throws()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o => o.DryRun = true).AddLeadSource(new SyntheticLeadSource(10));
        await using var provider = services.BuildServiceProvider();
        var pipeline = provider.GetRequiredService<ILeadPipeline>();
        var done = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = "done" });

        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ResumeAsync(Guid.NewGuid()));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ResumeAsync(done.RunId));
        Assert.Contains("completed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunningRun_CheckpointsItsCountsInTheRunRecord()
    {
        var candidates = SyntheticLeadSource.Generate(200);
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o =>
        {
            o.DryRun = true;
            o.ProgressInterval = TimeSpan.FromMilliseconds(50);
        }).AddLeadSource(new InMemoryLeadSource("slow", candidates) { DelayPerCandidate = TimeSpan.FromMilliseconds(10) });
        await using var provider = services.BuildServiceProvider();
        var run = provider.GetRequiredService<ILeadPipeline>().Start(new PipelineRunRequest { CampaignId = "checkpoints" });
        var runs = provider.GetRequiredService<IRunRepository>();

        RunRecord? checkpoint = null;
        for (var i = 0; i < 100 && checkpoint is not { Harvested: > 0 }; i++)
        {
            await Task.Delay(50);
            checkpoint = await runs.GetAsync(run.RunId);
        }

        run.Cancel();
        await run.Completion;
        Assert.NotNull(checkpoint);
        Assert.Equal(PipelineRunStatus.Running, checkpoint.Status);
        Assert.True(checkpoint.Harvested > 0);
        Assert.Contains(checkpoint.Stages, s => s.Name == "dedup" && s.In > 0);
    }
}
