using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Tests.Pipeline;

public class BatchingTests
{
    private static List<LeadCandidate> Good(int count) => Enumerable.Range(0, count).Select(i => TestPipeline.GoodCandidate(i)).ToList();

    [Fact]
    public async Task RunAsync_AsynchronousStage_RunsTheLeadsOfABatchConcurrentlyUpToItsParallelism()
    {
        // One source that yields synchronously: all 64 leads travel in one batch, to one worker of the slow stage.
        var current = 0;
        var peak = 0;
        var stage = new ProbeStage("vendor", async (_, ct) =>
        {
            var now = Interlocked.Increment(ref current);
            InterlockedMax(ref peak, now);
            await Task.Delay(50, ct);
            Interlocked.Decrement(ref current);
            return StageResult.Continue();
        });
        await using var t = TestPipeline.Create(
            new InMemoryLeadSource("crm", Good(64)),
            o =>
            {
                o.BatchSize = 64;
                o.StageParallelism["vendor"] = 8;
            },
            b => b.AddStage(stage));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "io" });

        Assert.Equal(64, result.Contacted);
        Assert.Equal(8, Volatile.Read(ref peak));
        TestPipeline.AssertBalanced(result);
    }

    [Fact]
    public async Task RunAsync_SourceThatWaits_ItsCandidatesGoOnWithoutWaitingForABatchToFill()
    {
        var firstLeadSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new GatedSource(firstLeadSeen.Task);
        var stage = new ProbeStage("probe", (_, _) =>
        {
            firstLeadSeen.TrySetResult();
            return ValueTask.FromResult(StageResult.Continue());
        });
        await using var t = TestPipeline.Create(source, o => o.BatchSize = 64, b => b.AddStage(stage));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "trickle" });

        Assert.False(source.TimedOut, "the first candidate waited in a batch until the source yielded more");
        Assert.Equal(2, result.Harvested);
        Assert.Equal(2, result.Contacted);
        TestPipeline.AssertBalanced(result);
    }

    [Fact]
    public async Task RunAsync_ManyLeads_AreAddedToTheStoreInBatchesOfAtMostBatchSize()
    {
        var store = new BatchRecordingRepository(new InMemoryLeadRepository());
        await using var t = TestPipeline.Create(
            new InMemoryLeadSource("crm", Good(200)),
            o => o.BatchSize = 64,
            b => b.Services.AddSingleton<ILeadRepository>(store));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "batches" });

        Assert.Equal(200, result.Contacted);
        Assert.Equal(200, store.AddBatches.Sum());
        Assert.All(store.AddBatches, size => Assert.InRange(size, 1, 64));
        Assert.Equal([8, 64, 64, 64], store.AddBatches.Order());
        Assert.Equal(200, store.UpdateBatches.Sum());
        Assert.All(store.UpdateBatches, size => Assert.InRange(size, 1, 64));
        Assert.Equal(200, await t.Leads.CountAsync("batches", LeadStatus.Contacted));
        TestPipeline.AssertBalanced(result);
    }

    [Fact]
    public async Task RunAsync_BatchSizeOne_BehavesLikeLeadByLead()
    {
        var store = new BatchRecordingRepository(new InMemoryLeadRepository());
        await using var t = TestPipeline.Create(
            [new InMemoryLeadSource("a", Good(40)), new InMemoryLeadSource("b", Good(40))],
            o => o.BatchSize = 1,
            b => b.Services.AddSingleton<ILeadRepository>(store));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "one" });

        Assert.Equal(80, result.Harvested);
        Assert.Equal(40, result.Duplicates);
        Assert.Equal(40, result.Contacted);
        Assert.All(store.AddBatches, size => Assert.Equal(1, size));
        TestPipeline.AssertBalanced(result);
    }

    [Fact]
    public async Task RunAsync_StoreFailsToAddABatch_RunFailsAndTheBatchCountsAsPending()
    {
        var store = new BatchRecordingRepository(new InMemoryLeadRepository()) { FailAddsAfter = 1 };
        await using var t = TestPipeline.Create(
            new InMemoryLeadSource("crm", Good(100)),
            o =>
            {
                o.BatchSize = 10;
                o.StageParallelism[StageNames.Dedup] = 1;
            },
            b => b.Services.AddSingleton<ILeadRepository>(store));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "broken" });

        Assert.Equal(PipelineRunStatus.Failed, result.Status);
        var error = Assert.Single(result.Errors);
        Assert.Equal(StageNames.Dedup, error.Stage);
        Assert.Equal("The disk is full.", error.Message);

        // Only the first batch was stored; the failing batch, and whatever was still queued or in flight, is pending.
        Assert.InRange(result.Contacted, 0, 10);
        Assert.InRange(result.Pending, 10, 100);
        Assert.Equal(10, await t.Leads.CountAsync("broken"));
        TestPipeline.AssertBalanced(result);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    private sealed class GatedSource(Task gate) : ILeadSource
    {
        public string Name => "gated";

        public bool TimedOut { get; private set; }

        public async IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            yield return TestPipeline.GoodCandidate(0);
            try
            {
                await gate.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }
            catch (TimeoutException)
            {
                TimedOut = true;
            }

            yield return TestPipeline.GoodCandidate(1);
        }
    }

    // Records the size of every batch call, delegating to a real store.
    private sealed class BatchRecordingRepository(ILeadRepository inner) : ILeadRepository
    {
        private int _adds;

        public ConcurrentQueue<int> AddBatches { get; } = new();

        public ConcurrentQueue<int> UpdateBatches { get; } = new();

        public int? FailAddsAfter { get; init; }

        public async ValueTask TryAddManyAsync(ReadOnlyMemory<Lead> leads, Memory<bool> added, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _adds) > FailAddsAfter)
            {
                throw new IOException("The disk is full.");
            }

            AddBatches.Enqueue(leads.Length);
            await inner.TryAddManyAsync(leads, added, cancellationToken);
        }

        public async ValueTask UpdateManyAsync(ReadOnlyMemory<LeadUpdate> updates, Memory<bool> updated, CancellationToken cancellationToken = default)
        {
            UpdateBatches.Enqueue(updates.Length);
            await inner.UpdateManyAsync(updates, updated, cancellationToken);
        }

        public ValueTask<bool> TryAddAsync(Lead lead, CancellationToken cancellationToken = default) => inner.TryAddAsync(lead, cancellationToken);

        public ValueTask<bool> UpdateAsync(Lead lead, long expectedVersion, CancellationToken cancellationToken = default) =>
            inner.UpdateAsync(lead, expectedVersion, cancellationToken);

        public ValueTask<Lead?> GetAsync(Guid leadId, CancellationToken cancellationToken = default) => inner.GetAsync(leadId, cancellationToken);

        public ValueTask<IReadOnlyList<Lead>> ListByRunAsync(LeadRunQuery query, CancellationToken cancellationToken = default) =>
            inner.ListByRunAsync(query, cancellationToken);

        public ValueTask<Lead?> FindByIdentityAsync(string campaignId, string identityKey, CancellationToken cancellationToken = default) =>
            inner.FindByIdentityAsync(campaignId, identityKey, cancellationToken);

        public ValueTask<IReadOnlyList<Lead>> QueryAsync(LeadQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

        public ValueTask<long> CountAsync(string campaignId, LeadStatus? status = null, CancellationToken cancellationToken = default) =>
            inner.CountAsync(campaignId, status, cancellationToken);
    }
}
