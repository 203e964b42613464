using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.RabbitMQ.Internal;
using Aicmo.Sdk.RabbitMQ.Tests.Support;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.RabbitMQ.Tests.Pipeline;

/// <summary>
/// One run worked on by several hosts through the real broker, on the real PostgreSQL server: each host is a service provider of
/// its own in this test process (its own pipeline, transport and broker connection), sharing the store, the queue prefix and
/// the recording sender, as processes on several machines would. One host starts the run; workers join it.
/// </summary>
[SkipWithoutRabbitMqAndPostgreSql]
public sealed class SharedRunTests
{
    private const int Leads = 1_000;

    [StoreFact]
    public async Task Run_StartedOnOneHost_WorkerConsumingTheLaterStagesJoinsIt_CompletesBalancedWithEveryLeadOnceAndNoKeySentTwice()
    {
        await using var hosts = new SharedRunHosts(Leads);
        var origin = await hosts.StartHostAsync(worker: false, StageNames.Enrich, StageNames.Score);
        await hosts.StartHostAsync(worker: true, StageNames.Qualify, StageNames.Route, StageNames.Nurture);
        var campaign = "join-" + Guid.NewGuid().ToString("N")[..8];

        var run = origin.GetRequiredService<ILeadPipeline>().Start(new PipelineRunRequest { CampaignId = campaign });
        var events = CollectAsync(run);
        var result = await run.Completion.WaitAsync(TimeSpan.FromMinutes(2));
        var seen = await events;

        Assert.True(result.Status == PipelineRunStatus.Completed, $"{result.Status}: {string.Join("; ", result.Errors.Select(e => $"{e.Stage} {e.ErrorType} {e.Message}"))}");
        Assert.Equal(Leads, result.Harvested);
        Assert.Equal(0, result.Pending);
        Assert.True(result.Contacted > 0, "no lead was contacted");

        // The origin consumes no stage after score: what reached nurture was worked on by the worker, and reported back.
        Assert.Equal(result.Stage(StageNames.Score).Out, result.Stage(StageNames.Qualify).In);
        Assert.True(result.Stage(StageNames.Nurture).In > 0, "the worker's reports did not reach the run's statistics");
        Assert.Contains(seen.OfType<StageProgress>(), p => p.Progress.Stages.Any(s => s.Name == StageNames.Nurture && s.In > 0));
        await hosts.VerifyAsync(origin, campaign, result);
    }

    [StoreFact]
    public async Task Run_CancelledOnTheHostThatStartedIt_TheWorkerLeavesIt_NothingIsLostAndAResumeFinishesIt()
    {
        var pause = new PauseStage(TimeSpan.FromMilliseconds(10));
        await using var hosts = new SharedRunHosts(Leads, b => b.AddStage(pause, runsAfter: StageNames.Score));
        var origin = await hosts.StartHostAsync(worker: false, StageNames.Enrich);
        var worker = await hosts.StartHostAsync(worker: true, StageNames.Score, pause.Name, StageNames.Qualify, StageNames.Route, StageNames.Nurture);
        var campaign = "join-" + Guid.NewGuid().ToString("N")[..8];
        var pipeline = origin.GetRequiredService<ILeadPipeline>();

        var run = pipeline.Start(new PipelineRunRequest { CampaignId = campaign });
        await WaitUntilAsync(() => run.Completion.IsCompleted || pause.Seen >= 50, TimeSpan.FromMinutes(1), "the worker did not start on the run");
        Assert.False(run.Completion.IsCompleted, $"the run ended before it could be cancelled ({pause.Seen} paused): {(run.Completion.IsCompleted ? Describe(run.Completion.Result) : null)}");
        run.Cancel();

        // The cancellation reaches the worker through the broker well before its idle timeout (a minute).
        var transport = worker.GetRequiredService<RabbitMqLeadBatchTransport>();
        var record = await origin.GetRequiredService<IRunRepository>().GetAsync(run.RunId);
        var ended = transport.ParticipationEnded(run.RunId, record!.StartedAt);
        await WaitUntilAsync(() => ended.IsCancellationRequested, TimeSpan.FromSeconds(10), "the worker did not hear of the cancellation");
        var result = await run.Completion.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(PipelineRunStatus.Cancelled, result.Status);
        Assert.True(result.IsBalanced, $"the run does not balance: {result}");
        Assert.True(result.Pending > 0, $"nothing was left pending: {result}");
        Assert.Empty(hosts.Sender.DuplicateKeys);

        // The worker stopped taking the run's batches: the pause stage sees no more leads.
        var seenAtEnd = pause.Seen;
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(seenAtEnd, pause.Seen);

        // Every lead the cancelled run left is still stored and is finished by resuming it; the worker joins the resumed run.
        var resumed = await pipeline.ResumeAsync(run.RunId).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(resumed.Status == PipelineRunStatus.Completed, $"{resumed.Status}: {string.Join("; ", resumed.Errors.Select(e => $"{e.Stage} {e.ErrorType} {e.Message}"))}");
        Assert.True(resumed.IsBalanced, $"the resumed run does not balance: {resumed}");
        // The origin consumes only enrich: whatever the resumed run did after it was the worker's, reported back. (The pause
        // stage alone is no proof: the leads a cancel leaves may all be past it.)
        var workedByTheWorker = new[] { StageNames.Score, pause.Name, StageNames.Qualify, StageNames.Route, StageNames.Nurture }.Sum(s => resumed.Stage(s).In);
        Assert.True(workedByTheWorker > 0, $"the worker did not join the resumed run: {resumed}");
        await hosts.VerifyFinishedAsync(origin, campaign, result.Harvested - result.Duplicates - result.Rejected);
    }

    [StoreFact]
    public async Task Run_WorkerStoppedMidRunAndAnotherStarted_CompletesBalancedWithEveryLeadOnceAndNoKeySentTwice()
    {
        var pause = new PauseStage(TimeSpan.FromMilliseconds(10));
        await using var hosts = new SharedRunHosts(Leads, b => b.AddStage(pause, runsAfter: StageNames.Score));
        var origin = await hosts.StartHostAsync(worker: false, StageNames.Enrich, StageNames.Score);
        string[] later = [pause.Name, StageNames.Qualify, StageNames.Route, StageNames.Nurture];
        var first = await hosts.StartHostAsync(worker: true, later);
        var campaign = "join-" + Guid.NewGuid().ToString("N")[..8];

        var run = origin.GetRequiredService<ILeadPipeline>().Start(new PipelineRunRequest { CampaignId = campaign });
        await WaitUntilAsync(() => run.Completion.IsCompleted || pause.Seen >= 50, TimeSpan.FromMinutes(1), "the worker did not start on the run");
        Assert.False(run.Completion.IsCompleted, $"the run ended before the worker could be stopped ({pause.Seen} paused): {(run.Completion.IsCompleted ? Describe(run.Completion.Result) : null)}");

        // Stands in for a worker process that dies: its consumers stop and its container goes, with batches in hand.
        await hosts.StopHostAsync(first);
        await hosts.StartHostAsync(worker: true, later);
        var result = await run.Completion.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(result.Status == PipelineRunStatus.Completed, $"{result.Status}: {string.Join("; ", result.Errors.Select(e => $"{e.Stage} {e.ErrorType} {e.Message}"))}");
        Assert.Equal(0, result.Pending);
        await hosts.VerifyAsync(origin, campaign, result);
    }

    [StoreFact]
    public async Task Start_StagesNamingAStageThePipelineDoesNotHave_FailsNamingIt()
    {
        await using var hosts = new SharedRunHosts(10);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => hosts.StartHostAsync(worker: true, StageNames.Score, "scoring"));

        Assert.Contains("scoring", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(RabbitMqTransportOptions.Stages), error.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task Run_LeadQuarantinedOnAWorker_ItsEventReachesTheRunOnTheHostThatStartedIt()
    {
        var poison = new PoisonStage();
        await using var hosts = new SharedRunHosts(200, b => b.AddStage(poison, runsAfter: StageNames.Score));
        var origin = await hosts.StartHostAsync(worker: false, StageNames.Enrich, StageNames.Score);
        await hosts.StartHostAsync(worker: true, poison.Name, StageNames.Qualify, StageNames.Route, StageNames.Nurture);
        var campaign = "join-" + Guid.NewGuid().ToString("N")[..8];

        var run = origin.GetRequiredService<ILeadPipeline>().Start(new PipelineRunRequest { CampaignId = campaign });
        var events = CollectAsync(run);
        var result = await run.Completion.WaitAsync(TimeSpan.FromMinutes(2));
        var seen = await events;

        Assert.True(result.Status == PipelineRunStatus.CompletedWithErrors, Describe(result));
        var poisoned = Assert.IsType<Guid>(poison.Poisoned);
        Assert.True(poison.Attempts >= 1, "the worker never worked on the poisoned lead");

        // Raised once, on the origin, which does not consume the stage: it came with the worker's report.
        var quarantined = Assert.Single(seen.OfType<LeadQuarantined>(), q => q.LeadId == poisoned);
        Assert.Equal(run.RunId, quarantined.RunId);
        Assert.Equal(poison.Name, quarantined.Fault.Stage);
        Assert.Contains(PoisonStage.Reason, quarantined.Fault.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(InvalidOperationException).FullName, quarantined.Fault.ErrorType);
        Assert.Equal(poison.Attempts, quarantined.Fault.Attempts);
        Assert.True(result.Quarantined >= 1, $"the quarantine was not counted: {result}");
        Assert.Equal(result.Quarantined, seen.OfType<LeadQuarantined>().Count());
        await hosts.VerifyAsync(origin, campaign, result);
    }

    private static string Describe(PipelineRunResult result) =>
        $"{result.Status}, {result} {string.Join("; ", result.Errors.Select(e => $"{e.Stage} {e.ErrorType} {e.Message}"))} " +
        string.Join(", ", result.Stages.Select(s => $"{s.Name} in {s.In} out {s.Out} pending {s.Pending}"));

    private static async Task<List<PipelineEvent>> CollectAsync(IPipelineRun run)
    {
        var events = new List<PipelineEvent>();
        await foreach (var e in run.Events)
        {
            events.Add(e);
        }

        return events;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string because)
    {
        var waited = TimeSpan.Zero;
        while (!condition())
        {
            Assert.True(waited < timeout, because);
            await Task.Delay(20);
            waited += TimeSpan.FromMilliseconds(20);
        }
    }

    /// <summary>A custom stage that takes a little while per lead, so a run lasts long enough to be interrupted.</summary>
    private sealed class PauseStage(TimeSpan delay) : ILeadStage
    {
        private readonly ConcurrentDictionary<Guid, byte> _seen = new();

        public string Name => "pause";

        public int Seen => _seen.Count;

        public async ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
        {
            _seen.TryAdd(lead.Id, 0);
            await Task.Delay(delay, cancellationToken);
            return StageResult.Continue();
        }
    }

    /// <summary>A custom stage that always throws for the first lead it sees and lets the others through.</summary>
    private sealed class PoisonStage : ILeadStage
    {
        public const string Reason = "poisoned lead refused";

        private readonly Lock _gate = new();
        private int _attempts;

        public string Name => "poison";

        public Guid? Poisoned { get; private set; }

        public int Attempts => Volatile.Read(ref _attempts);

        public ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                Poisoned ??= lead.Id;
                if (Poisoned != lead.Id)
                {
                    return ValueTask.FromResult(StageResult.Continue());
                }
            }

            Interlocked.Increment(ref _attempts);
            throw new InvalidOperationException(Reason);
        }
    }
}
