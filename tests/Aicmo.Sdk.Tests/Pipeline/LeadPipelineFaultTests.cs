using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Tests.Pipeline;

public class LeadPipelineFaultTests
{
    private static List<LeadCandidate> Good(int count, int offset = 0) =>
        Enumerable.Range(offset, count).Select(i => TestPipeline.GoodCandidate(i)).ToList();

    [Fact]
    public async Task RunAsync_OneSourceFails_OtherSourcesAndHarvestedLeadsDrain_CompletedWithErrors()
    {
        var failing = new InMemoryLeadSource("flaky-api", Good(50)) { FailAfter = 20 };
        var healthy = new InMemoryLeadSource("csv", Good(30, offset: 1000));
        await using var t = TestPipeline.Create([failing, healthy]);

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "src-fail" });

        Assert.Equal(PipelineRunStatus.CompletedWithErrors, result.Status);
        Assert.Equal(50, result.Harvested);
        Assert.Equal(50, result.Contacted);
        Assert.True(result.Stage(StageNames.Harvest).Failed);
        Assert.False(result.Stage(StageNames.Nurture).Failed);
        var error = Assert.Single(result.Errors);
        Assert.Equal("flaky-api", error.Source);
        Assert.Equal(StageNames.Harvest, error.Stage);
        Assert.Equal(typeof(InvalidOperationException).FullName, error.ErrorType);
        Assert.Equal("The source connection was lost.", error.Message);
        TestPipeline.AssertBalanced(result);
    }

    [Fact]
    public async Task RunAsync_StageThrowsForSomeLeads_TheyAreQuarantinedAndTheRestFlow()
    {
        var stage = new ProbeStage("validate", static (lead, _) =>
            lead.ExternalId!.EndsWith('3')
                ? throw new FormatException("bad record " + lead.ExternalId)
                : ValueTask.FromResult(StageResult.Continue()));
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", Good(40)), build: b => b.AddStage(stage, StageNames.Score));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "isolate" });

        Assert.Equal(PipelineRunStatus.CompletedWithErrors, result.Status);
        Assert.Equal(4, result.Quarantined); // ext-3, 13, 23, 33
        Assert.Equal(36, result.Contacted);
        Assert.Equal(4, result.Stage("validate").Quarantined);
        Assert.Equal(36, result.Stage("validate").Out);
        Assert.Empty(result.Errors);
        TestPipeline.AssertBalanced(result);

        var quarantined = await t.Leads.QueryAsync(new LeadQuery { CampaignId = "isolate", Status = LeadStatus.Quarantined });
        Assert.Equal(4, quarantined.Count);
        Assert.All(quarantined, l =>
        {
            Assert.Equal("validate", l.Fault!.Stage);
            Assert.Equal(typeof(FormatException).FullName, l.Fault.ErrorType);
            Assert.StartsWith("bad record ext-", l.Fault.Message, StringComparison.Ordinal);
            Assert.Equal(1, l.Fault.Attempts); // not transient: no retry
        });

        var trail = await t.Audit.ReadAsync(quarantined[0].Id);
        Assert.Equal(LeadStatus.Quarantined, trail[^1].To);
        Assert.Equal("validate", trail[^1].Stage);
    }

    [Fact]
    public async Task RunAsync_TransientFault_IsRetriedWithBackoffAndThenSucceeds()
    {
        var attempts = new ConcurrentDictionary<Guid, int>();
        var stage = new ProbeStage("vendor", (lead, _) =>
            attempts.AddOrUpdate(lead.Id, 1, (_, n) => n + 1) < 3
                ? throw new TransientLeadException("429 Too Many Requests")
                : ValueTask.FromResult(StageResult.Continue()));
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", Good(5)), build: b => b.AddStage(stage));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "retry" });

        Assert.Equal(PipelineRunStatus.Completed, result.Status);
        Assert.Equal(5, result.Contacted);
        Assert.All(attempts.Values, n => Assert.Equal(3, n));
    }

    [Fact]
    public async Task RunAsync_TransientFaultThatNeverClears_QuarantinesAfterAllAttempts()
    {
        var stage = new ProbeStage("vendor", static (_, _) => throw new TransientLeadException("503 Service Unavailable"));
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", Good(3)), o => o.Retry.MaxRetryAttempts = 2, b => b.AddStage(stage));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "retry-out" });

        Assert.Equal(3, result.Quarantined);
        var lead = (await t.Leads.QueryAsync(new LeadQuery { CampaignId = "retry-out" }))[0];
        Assert.Equal(3, lead.Fault!.Attempts);
        Assert.Equal(typeof(TransientLeadException).FullName, lead.Fault.ErrorType);
        TestPipeline.AssertBalanced(result);
    }

    [Fact]
    public async Task RunAsync_StagePastItsTimeout_QuarantinesWithStageTimeoutException()
    {
        var stage = new ProbeStage("slow-vendor", static async (lead, ct) =>
        {
            if (lead.ExternalId == "ext-1")
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
            }

            return StageResult.Continue();
        });
        var timeout = TimeSpan.FromMilliseconds(100);
        await using var t = TestPipeline.Create(
            new InMemoryLeadSource("crm", Good(3)),
            o =>
            {
                o.StageTimeouts["slow-vendor"] = timeout;
                o.Retry.MaxRetryAttempts = 1;
            },
            b => b.AddStage(stage));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "timeout" });

        Assert.Equal(PipelineRunStatus.CompletedWithErrors, result.Status);
        Assert.Equal(1, result.Quarantined);
        Assert.Equal(2, result.Contacted);
        var lead = (await t.Leads.QueryAsync(new LeadQuery { CampaignId = "timeout", Status = LeadStatus.Quarantined })).Single();
        Assert.Equal(typeof(StageTimeoutException).FullName, lead.Fault!.ErrorType);
        Assert.Contains("slow-vendor", lead.Fault.Message, StringComparison.Ordinal);
        Assert.Contains(timeout.ToString(), lead.Fault.Message, StringComparison.Ordinal);
        Assert.Equal(2, lead.Fault.Attempts); // a timeout is transient: retried once
        Assert.True(result.Duration < TimeSpan.FromSeconds(20), "the stalled stage was cut off, not waited for");
    }

    [Fact]
    public void StageTimeoutException_CarriesStageAndTimeout()
    {
        var ex = new StageTimeoutException("enrich", TimeSpan.FromSeconds(2));
        Assert.Equal("enrich", ex.Stage);
        Assert.Equal(TimeSpan.FromSeconds(2), ex.Timeout);
        Assert.IsAssignableFrom<TimeoutException>(ex);
    }

    [Fact]
    public async Task RunAsync_StageThrowsItsOwnOperationCanceledException_IsAFaultNotCancellation()
    {
        var stage = new ProbeStage("client", static (_, _) => throw new OperationCanceledException("HttpClient gave up"));
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", Good(4)), build: b => b.AddStage(stage));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "user-oce" });

        Assert.Equal(PipelineRunStatus.CompletedWithErrors, result.Status);
        Assert.Equal(4, result.Quarantined);
        Assert.Equal(0, result.Pending);
        var lead = (await t.Leads.QueryAsync(new LeadQuery { CampaignId = "user-oce" }))[0];
        Assert.Equal(typeof(OperationCanceledException).FullName, lead.Fault!.ErrorType);
        TestPipeline.AssertBalanced(result);
    }

    [Fact]
    public async Task RunAsync_FatalErrorInAStage_StopsTheSourcesAndFailsTheRun()
    {
        var source = new InMemoryLeadSource("endless", Enumerable.Range(0, 1_000_000).Select(i => TestPipeline.GoodCandidate(i)));
        var stage = new ProbeStage("gate", static (lead, _) =>
            lead.ExternalId == "ext-25"
                ? throw new PipelineFatalException("API credentials revoked")
                : ValueTask.FromResult(StageResult.Continue()));
        await using var t = TestPipeline.Create(source, o => o.ChannelCapacity = 16, b => b.AddStage(stage));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "fatal" });

        Assert.Equal(PipelineRunStatus.Failed, result.Status);
        var error = Assert.Single(result.Errors);
        Assert.Equal("gate", error.Stage);
        Assert.Equal("API credentials revoked", error.Message);
        Assert.True(result.Stage("gate").Failed);

        // The producer was stopped too: it did not go on reading a million records into a dead run.
        Assert.True(source.Yielded < 10_000, $"source yielded {source.Yielded}");
        Assert.True(result.Pending > 0);
        Assert.True(result.IsBalanced);
    }

    [Fact]
    public async Task RunAsync_StoreFailure_IsFatal()
    {
        var source = new InMemoryLeadSource("crm", Good(200));
        await using var t = TestPipeline.Create(source, build: b =>
        {
            b.Services.AddSingleton<IAuditLog>(new FailingAuditLog(failAfter: 30));
        });

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "store-down" });

        Assert.Equal(PipelineRunStatus.Failed, result.Status);
        Assert.Contains(result.Errors, e => e.Message == "disk full");
        Assert.True(result.IsBalanced);
    }

    private sealed class FailingAuditLog(int failAfter) : IAuditLog
    {
        private int _count;

        public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _count) > failAfter ? throw new IOException("disk full") : ValueTask.CompletedTask;

        public ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(Guid leadId, CancellationToken cancellationToken = default) =>
            new(Array.Empty<AuditEvent>());
    }
}
