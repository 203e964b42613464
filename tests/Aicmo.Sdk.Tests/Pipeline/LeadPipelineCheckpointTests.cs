using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Tests.Pipeline;

/// <summary>Checkpoints: the state pending leads reached is stored when a run stops, and a failure to store it is reported.</summary>
public class LeadPipelineCheckpointTests
{
    [Fact]
    public async Task Cancel_CheckpointWriteFailsOnce_IsRetriedAndTheLeadsAreStoredInTheStateTheyReached()
    {
        var leads = new FailingUpdates(new InMemoryLeadRepository()) { FailuresLeft = 1 };
        var (t, run) = await StartStalledRunAsync(leads);
        await using (t)
        {
            leads.Failing = true;
            run.Cancel();
            var result = await run.Completion;

            Assert.Equal(PipelineRunStatus.Cancelled, result.Status);
            Assert.Equal(50, result.Pending);
            TestPipeline.AssertBalanced(result);
            Assert.Equal(50, await t.Leads.CountAsync("stall", LeadStatus.Enriched));
            Assert.True(leads.Failures >= 1);
        }
    }

    [Fact]
    public async Task Cancel_CheckpointWritesKeepFailing_RunFailsWithAnErrorNamingTheCheckpoint()
    {
        var leads = new FailingUpdates(new InMemoryLeadRepository()) { FailuresLeft = int.MaxValue };
        var (t, run) = await StartStalledRunAsync(leads);
        await using (t)
        {
            leads.Failing = true;
            run.Cancel();
            var result = await run.Completion;

            Assert.Equal(PipelineRunStatus.Failed, result.Status);
            var error = Assert.Single(result.Errors, e => e.Stage == "checkpoint");
            Assert.Equal(typeof(IOException).FullName, error.ErrorType);
            Assert.Contains("The disk is full.", error.Message, StringComparison.Ordinal);

            // Nothing is lost: the leads stay stored as harvested, so a later run resumes them; the count still balances.
            Assert.Equal(50, result.Pending);
            TestPipeline.AssertBalanced(result);
            Assert.Equal(50, await t.Leads.CountAsync("stall", LeadStatus.New));

            var record = await t.Runs.GetAsync(result.RunId);
            Assert.Equal(PipelineRunStatus.Failed, record!.Status);
            Assert.Contains(record.Errors, e => e.StartsWith("checkpoint", StringComparison.Ordinal));
        }
    }

    // Fifty leads enriched and held by a stage that never answers: the run is started, and the stage runs as many as it may.
    private static async Task<(TestPipeline Pipeline, IPipelineRun Run)> StartStalledRunAsync(FailingUpdates leads)
    {
        var stage = new ProbeStage("stall", static async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return StageResult.Continue();
        });
        var t = TestPipeline.Create(
            new InMemoryLeadSource("crm", Enumerable.Range(0, 50).Select(i => TestPipeline.GoodCandidate(i))),
            o =>
            {
                o.CancellationDrainTimeout = TimeSpan.FromMilliseconds(100);
                o.StageTimeout = Timeout.InfiniteTimeSpan;
            },
            b =>
            {
                b.Services.AddSingleton<ILeadRepository>(leads);
                b.AddStage(stage);
            });
        var run = t.Pipeline.Start(new PipelineRunRequest { CampaignId = "stall" });
        while (run.Progress.Stages.Single(s => s.Name == "stall").In < 2)
        {
            await Task.Delay(5);
        }

        return (t, run);
    }

    // Lead updates fail with an I/O error while Failing is set, FailuresLeft times; everything else reaches the real store.
    private sealed class FailingUpdates(ILeadRepository inner) : ILeadRepository
    {
        private int _failures;

        public volatile bool Failing;

        public int FailuresLeft;

        public int Failures => Volatile.Read(ref _failures);

        private void MaybeFail()
        {
            if (Failing && Interlocked.Decrement(ref FailuresLeft) >= 0)
            {
                Interlocked.Increment(ref _failures);
                throw new IOException("The disk is full.");
            }
        }

        public ValueTask UpdateManyAsync(ReadOnlyMemory<LeadUpdate> updates, Memory<bool> updated, CancellationToken cancellationToken = default)
        {
            MaybeFail();
            return inner.UpdateManyAsync(updates, updated, cancellationToken);
        }

        public ValueTask<bool> UpdateAsync(Lead lead, long expectedVersion, CancellationToken cancellationToken = default)
        {
            MaybeFail();
            return inner.UpdateAsync(lead, expectedVersion, cancellationToken);
        }

        public ValueTask TryAddManyAsync(ReadOnlyMemory<Lead> leads, Memory<bool> added, CancellationToken cancellationToken = default) =>
            inner.TryAddManyAsync(leads, added, cancellationToken);

        public ValueTask<bool> TryAddAsync(Lead lead, CancellationToken cancellationToken = default) => inner.TryAddAsync(lead, cancellationToken);

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
