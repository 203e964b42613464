using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aicmo.Sdk.Tests.Pipeline;

public class StageExecutorTests
{
    [Fact]
    public async Task ExecuteAsync_NoRetryNoTimeout_ThrowingStageQuarantinesAfterOneAttempt()
    {
        var stage = CountingStage.Sync(_ => throw new InvalidOperationException("bug"));
        var (executor, state, lead) = Create(stage, o => Disable(o));

        var disposition = await executor.ExecuteAsync(lead, state, CancellationToken.None);

        Assert.Equal(LeadDisposition.Finished, disposition);
        Assert.Equal(LeadStatus.Quarantined, lead.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, lead.Fault!.ErrorType);
        Assert.Equal(1, lead.Fault.Attempts);
        Assert.Equal(1, stage.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_NoRetryNoTimeout_TransientFaultIsNotRetried()
    {
        var stage = CountingStage.Sync(_ => throw new TransientLeadException("flaky"));
        var (executor, state, lead) = Create(stage, o => Disable(o));

        await executor.ExecuteAsync(lead, state, CancellationToken.None);

        Assert.Equal(LeadStatus.Quarantined, lead.Status);
        Assert.Equal(1, stage.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_NoRetryNoTimeout_RunCancelledDuringStage_LeadIsPending()
    {
        using var run = new CancellationTokenSource();
        var stage = CountingStage.Async(async ct =>
        {
            await run.CancelAsync();
            ct.ThrowIfCancellationRequested();
            return StageResult.Continue();
        });
        var (executor, state, lead) = Create(stage, o => Disable(o));

        var disposition = await executor.ExecuteAsync(lead, state, run.Token);

        Assert.Equal(LeadDisposition.Pending, disposition);
        Assert.Equal(LeadStatus.New, lead.Status);
        // The executor says where the lead goes; the worker loop that holds the lead counts it pending, once.
        Assert.Equal(0, state.Counters.Snapshot(0, 0).Pending);
    }

    [Fact]
    public async Task ExecuteAsync_RetryOn_TransientTwiceThenSuccess_MovesOnAfterThreeAttempts()
    {
        var stage = CountingStage.Sync(calls => calls < 3 ? throw new TransientLeadException("flaky") : StageResult.MoveTo(LeadStatus.Scored, "scored"));
        var (executor, state, lead) = Create(stage, o => o.Retry.MaxRetryAttempts = 3);

        var disposition = await executor.ExecuteAsync(lead, state, CancellationToken.None);

        Assert.Equal(LeadDisposition.Continue, disposition);
        Assert.Equal(LeadStatus.Scored, lead.Status);
        Assert.Equal(3, stage.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_RetryOn_AlwaysTransient_QuarantinedWithEveryAttemptCounted()
    {
        var stage = CountingStage.Sync(_ => throw new TransientLeadException("down"));
        var (executor, state, lead) = Create(stage, o => o.Retry.MaxRetryAttempts = 2);

        await executor.ExecuteAsync(lead, state, CancellationToken.None);

        Assert.Equal(LeadStatus.Quarantined, lead.Status);
        Assert.Equal(3, lead.Fault!.Attempts);
        Assert.Equal(3, stage.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_StageOutlivesItsTimeout_QuarantinedWithStageTimeoutException()
    {
        var stage = CountingStage.Async(async ct =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return StageResult.Continue();
        });
        var (executor, state, lead) = Create(stage, o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.StageTimeout = TimeSpan.FromMilliseconds(50);
        });

        await executor.ExecuteAsync(lead, state, CancellationToken.None);

        Assert.Equal(LeadStatus.Quarantined, lead.Status);
        Assert.Equal(typeof(StageTimeoutException).FullName, lead.Fault!.ErrorType);
    }

    [Fact]
    public async Task ExecuteAsync_RetryAndTimeoutOn_FirstAttemptTimesOut_RetriedAndMovesOn()
    {
        var stage = CountingStage.OfAsync(async (calls, ct) =>
        {
            if (calls == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }

            return StageResult.MoveTo(LeadStatus.Scored, "scored");
        });
        var (executor, state, lead) = Create(stage, o => o.StageTimeout = TimeSpan.FromMilliseconds(50));

        var disposition = await executor.ExecuteAsync(lead, state, CancellationToken.None);

        Assert.Equal(LeadDisposition.Continue, disposition);
        Assert.Equal(LeadStatus.Scored, lead.Status);
        Assert.Equal(2, stage.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_RetryAndTimeoutOn_EveryAttemptTimesOut_QuarantinedWithStageTimeoutExceptionAndEveryAttemptCounted()
    {
        var stage = CountingStage.Async(async ct =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return StageResult.Continue();
        });
        var (executor, state, lead) = Create(stage, o =>
        {
            o.Retry.MaxRetryAttempts = 2;
            o.StageTimeout = TimeSpan.FromMilliseconds(50);
        });

        await executor.ExecuteAsync(lead, state, CancellationToken.None);

        Assert.Equal(LeadStatus.Quarantined, lead.Status);
        Assert.Equal(typeof(StageTimeoutException).FullName, lead.Fault!.ErrorType);
        Assert.Equal(3, lead.Fault.Attempts);
        Assert.Equal(3, stage.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_RetryAndTimeoutOn_StageThrowsItsOwnCancellation_QuarantinedAfterOneAttempt()
    {
        var stage = CountingStage.Sync(_ => throw new OperationCanceledException("the stage's own"));
        var (executor, state, lead) = Create(stage, _ => { });

        var disposition = await executor.ExecuteAsync(lead, state, CancellationToken.None);

        Assert.Equal(LeadDisposition.Finished, disposition);
        Assert.Equal(LeadStatus.Quarantined, lead.Status);
        Assert.Equal(typeof(OperationCanceledException).FullName, lead.Fault!.ErrorType);
        Assert.Equal(1, lead.Fault.Attempts);
        Assert.Equal(1, stage.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_RetryAndTimeoutOn_RunCancelledDuringStage_LeadIsPending()
    {
        using var run = new CancellationTokenSource();
        var stage = CountingStage.Async(async ct =>
        {
            await run.CancelAsync();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return StageResult.Continue();
        });
        var (executor, state, lead) = Create(stage, _ => { });

        var disposition = await executor.ExecuteAsync(lead, state, run.Token);

        Assert.Equal(LeadDisposition.Pending, disposition);
        Assert.Equal(LeadStatus.New, lead.Status);
        // The executor says where the lead goes; the worker loop that holds the lead counts it pending, once.
        Assert.Equal(0, state.Counters.Snapshot(0, 0).Pending);
        Assert.Equal(1, stage.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_RetryAndTimeoutOn_ManySynchronousLeads_EachSeesAnUncancelledToken()
    {
        var stage = CountingStage.Of((_, ct) => new(ct.IsCancellationRequested ? throw new InvalidOperationException("cancelled token") : StageResult.Continue()));
        var (executor, state, _) = Create(stage, o => o.StageTimeout = TimeSpan.FromMilliseconds(10));
        var worker = state.CreateWorker();

        for (var i = 0; i < 100; i++)
        {
            var lead = new Lead { Id = Guid.NewGuid(), CampaignId = "campaign", IdentityKey = $"e:{i}@example.com", Status = LeadStatus.New, Version = 1 };
            Assert.Equal(LeadDisposition.Continue, await executor.ExecuteAsync(lead, state, worker, CancellationToken.None));
        }

        Assert.Equal(100, state.Counters.Snapshot(0, 0).In);
    }

    private static void Disable(AicmoPipelineOptions options)
    {
        options.Retry.MaxRetryAttempts = 0;
        options.StageTimeout = Timeout.InfiniteTimeSpan;
    }

    private static (StageExecutor Executor, StageRunState State, Lead Lead) Create(ILeadStage stage, Action<AicmoPipelineOptions> configure)
    {
        var options = new AicmoPipelineOptions();
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        configure(options);
        var executor = new StageExecutor(stage, options, RetryOptions.DefaultIsTransient, new InMemoryAuditLog(), TimeProvider.System, NullLogger.Instance);
        var context = new StageContext(Guid.NewGuid(), "campaign", stage.Name, TimeProvider.System, dryRun: false);
        var state = new StageRunState(context, new StageCounters(stage.Name), static (_, _) => { }, parallelism: 1);
        var lead = new Lead { Id = Guid.NewGuid(), CampaignId = "campaign", IdentityKey = "e:ada@example.com", Status = LeadStatus.New, Version = 1 };
        return (executor, state, lead);
    }

    private sealed class CountingStage : ILeadStage
    {
        private readonly Func<int, CancellationToken, ValueTask<StageResult>> _body;
        private int _calls;

        private CountingStage(Func<int, CancellationToken, ValueTask<StageResult>> body) => _body = body;

        public string Name => "custom";

        /// <summary>A synchronous stage; the body gets the number of this call, from 1.</summary>
        public static CountingStage Sync(Func<int, StageResult> body) => new((calls, _) => new(body(calls)));

        public static CountingStage Async(Func<CancellationToken, Task<StageResult>> body) => new((_, ct) => new(body(ct)));

        /// <summary>A stage whose body gets the number of this call, from 1, and the token.</summary>
        public static CountingStage Of(Func<int, CancellationToken, ValueTask<StageResult>> body) => new(body);

        public static CountingStage OfAsync(Func<int, CancellationToken, Task<StageResult>> body) => new((calls, ct) => new(body(calls, ct)));

        public int Calls => _calls;

        public ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken) =>
            _body(Interlocked.Increment(ref _calls), cancellationToken);
    }
}
