using System.Diagnostics;
using Aicmo.Sdk.Diagnostics;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// Runs one stage for one lead: the first attempt on a hand-written path that arms the timeout only for an attempt that does
/// not complete at once, a failed first attempt and its retries under the resilience pipeline (retry, then timeout per
/// attempt), the outcome applied through the state machine, the audit event, metrics, and the decision where the lead goes next.
/// Knows nothing of how leads travel between stages, so any transport can reuse it.
/// </summary>
internal sealed class StageExecutor
{
    private static readonly ResiliencePropertyKey<int> RetriesKey = new("aicmo.retries");
    private readonly ILeadStage _stage;
    private readonly ResiliencePipeline<StageResult>? _resilience;
    private readonly bool _checksIntake;
    private readonly TimeSpan _timeout;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly KeyValuePair<string, object?> _stageTag;
    private readonly string _activityName;

    public StageExecutor(ILeadStage stage, AicmoPipelineOptions options, Func<Exception, bool> isTransient, IAuditLog audit, TimeProvider time, ILogger logger)
    {
        _stage = stage;
        _audit = audit;
        _time = time;
        _logger = logger;
        Name = stage.Name;
        _checksIntake = stage is not (ScoreStage or QualifyStage or RouteStage or NurtureStage);
        _timeout = options.TimeoutFor(Name);
        _stageTag = new("stage", Name);
        _activityName = "aicmo.stage." + Name;
        _resilience = BuildResilience(options.Retry, _timeout, isTransient, time);
    }

    public string Name { get; }

    /// <summary>Runs the stage for one lead, for a caller that is not a worker of the channel transport; the lead's audit events are kept with it until it is stored.</summary>
    public async ValueTask<LeadDisposition> ExecuteAsync(Lead lead, StageRunState state, CancellationToken cancellationToken)
    {
        var worker = state.Rent();
        try
        {
            var disposition = await ExecuteAsync(lead, state, worker, cancellationToken).ConfigureAwait(false);
            if (worker.Audit is { Count: > 0 } events)
            {
                await _audit.AppendManyAsync(events.Memory, CancellationToken.None).ConfigureAwait(false);
            }

            return disposition;
        }
        finally
        {
            worker.Audit?.Clear();
            state.Return(worker);
        }
    }

    /// <summary>Runs the stage for one lead on behalf of <paramref name="worker"/>, which only one caller uses at a time.</summary>
    public async ValueTask<LeadDisposition> ExecuteAsync(Lead lead, StageRunState state, StageWorker worker, CancellationToken cancellationToken)
    {
        var counters = worker.Counters;
        WorkerCounters.Increment(ref counters.In);
        // A worker that runs whole batches measures its busy time per batch; per lead the clock is read only when someone
        // listens to the duration histogram, or for a worker that runs one lead at a time.
        var started = worker.MeasuresBusy || AicmoDiagnostics.StageDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        using var activity = AicmoDiagnostics.ActivitySource.StartActivity(_activityName);
        activity?.SetTag("aicmo.lead.id", lead.Id);

        StageResult result = default;
        Exception? fault = null;
        ResilienceContext? context = null;
        var attempts = 1;
        try
        {
            if (_resilience is null)
            {
                // With neither retry nor timeout configured there is nothing for a resilience pipeline to do.
                result = await _stage.ExecuteAsync(lead, state.Context, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // The first attempt runs outside Polly, so that a stage that completes synchronously arms no timer; a failed
                // first attempt is replayed into the resilience pipeline, which decides on and runs the retries. Running every
                // attempt under Polly's timeout made the runner more than twice as slow for synchronous stages: see
                // benchmarks/results/RunnerSplit-before-after.md.
                var first = await FirstAttemptAsync(lead, state.Context, worker, cancellationToken).ConfigureAwait(false);
                if (first.Fault is null)
                {
                    result = first.Result;
                }
                else
                {
                    context = ResilienceContextPool.Shared.Get(cancellationToken);
                    result = await _resilience.ExecuteAsync(
                        static (ctx, s) => s.ExecuteAsync(ctx.CancellationToken),
                        context,
                        new Invocation(_stage, lead, state.Context, first.Fault)).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run itself is stopping: not the lead's fault. The caller counts the lead pending where it stops.
            Record(worker, started, "pending");
            return LeadDisposition.Pending;
        }
        catch (PipelineFatalException)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            fault = new StageTimeoutException(Name, _timeout, ex);
        }
        catch (Exception ex)
        {
            // Includes a stage's own OperationCanceledException: only the run's token means cancellation.
            fault = ex;
        }
        finally
        {
            if (context is not null)
            {
                attempts += context.Properties.GetValue(RetriesKey, 0);
                ResilienceContextPool.Shared.Return(context);
            }
        }

        // Stages that may write text into a lead (enrichment, custom stages) are held to the intake policy before any store
        // sees the lead; the built-in engines write only what their options hold.
        if (_checksIntake && LeadTextGuard.Scrub(lead) is { } violation)
        {
            fault ??= new IntakePolicyException($"After stage {Name}: {violation}.");
        }

        if (fault is null && lead.Nurture is { PossibleDuplicate: true } && string.Equals(Name, StageNames.Nurture, StringComparison.Ordinal))
        {
            WorkerCounters.Increment(ref counters.PossibleDuplicateSends);
        }

        if (fault is null && result.NextStatus is { } next)
        {
            try
            {
                var from = lead.TransitionTo(next, _time.GetUtcNow());
                await AppendAuditAsync(lead, state.Context, from, result.Reason).ConfigureAwait(false);
            }
            catch (InvalidLeadTransitionException ex)
            {
                fault = ex;
            }
        }

        if (fault is not null)
        {
            await QuarantineAsync(lead, state, worker, fault, attempts).ConfigureAwait(false);
            Record(worker, started, "quarantined");
            return LeadDisposition.Finished;
        }

        if (LeadStateMachine.IsTerminalForPipeline(lead.Status))
        {
            Record(worker, started, OutcomeTag(lead.Status));
            return LeadDisposition.Finished;
        }

        Record(worker, started, "continued");
        return LeadDisposition.Continue;
    }

    /// <summary>
    /// The first attempt, with the semantics of Polly's timeout strategy: the stage's token is cancelled when the run's is, or
    /// when the attempt takes longer than the timeout, and an <see cref="OperationCanceledException"/> caused by the timeout
    /// becomes a <see cref="TimeoutRejectedException"/>. The timer is armed only when the stage returns an incomplete task
    /// (the fast path that benchmarks/results/RunnerSplit-before-after.md measured the need for).
    /// A cancellation of the run is thrown; any other fault is returned, to be replayed into the resilience pipeline.
    /// </summary>
    private async ValueTask<Attempt> FirstAttemptAsync(Lead lead, StageContext context, StageWorker worker, CancellationToken cancellationToken)
    {
        var timed = _timeout != Timeout.InfiniteTimeSpan;
        var armed = false;
        try
        {
            var pending = _stage.ExecuteAsync(lead, context, timed ? worker.AttemptToken(cancellationToken) : cancellationToken);
            if (pending.IsCompletedSuccessfully)
            {
                return new Attempt(pending.Result, null);
            }

            if (timed && !pending.IsCompleted)
            {
                worker.ArmTimeout(_timeout);
                armed = true;
            }

            return new Attempt(await pending.ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex) when (armed && worker.AttemptCancelled)
        {
            return new Attempt(default, new TimeoutRejectedException(
                $"The operation didn't complete within the allowed timeout of '{_timeout}'.", _timeout, ex));
        }
        catch (Exception ex)
        {
            return new Attempt(default, ex);
        }
        finally
        {
            if (armed)
            {
                worker.Disarm();
            }
        }
    }

    /// <summary>Called for a lead that passed the last stage: a lead not in an outcome state by then is quarantined.</summary>
    public async ValueTask EnsureOutcomeAsync(Lead lead, StageRunState state, StageWorker worker)
    {
        if (lead.Status == LeadStatus.Routed || LeadStateMachine.IsTerminalForPipeline(lead.Status))
        {
            return;
        }

        var fault = new InvalidOperationException($"The lead left the last stage in state {lead.Status}, which is not an outcome.");
        await QuarantineAsync(lead, state, worker, fault, 1).ConfigureAwait(false);
    }

    // Kept with the lead until it is stored: its state and the events of its changes since it was last stored are one write
    // (LeadWrites), so a write that loses its compare-and-set, or never happens, leaves no event behind.
    private ValueTask AppendAuditAsync(Lead lead, StageContext context, LeadStatus? from, string reason)
    {
        var auditEvent = new AuditEvent(lead.Id, lead.CampaignId, context.RunId, lead.Version, Name, from, lead.Status, reason, lead.UpdatedAt);
        (lead.UnstoredEvents ??= new List<AuditEvent>(6)).Add(auditEvent);
        return default;
    }

    private async ValueTask QuarantineAsync(Lead lead, StageRunState state, StageWorker worker, Exception fault, int attempts)
    {
        // An error message is text like any other: it reaches the store only under the intake policy.
        var info = new LeadFault(Name, fault.GetType().FullName ?? fault.GetType().Name, TextPolicy.RemoveForbidden(fault.Message), attempts);
        lead.Fault = info;
        var from = lead.TransitionTo(LeadStatus.Quarantined, _time.GetUtcNow());
        await AppendAuditAsync(lead, state.Context, from, $"{info.ErrorType}: {info.Message}").ConfigureAwait(false);
        AicmoDiagnostics.Quarantines.Add(1, _stageTag);
        Log.LeadQuarantined(_logger, lead.Id, Name, attempts, info.ErrorType, info.Message);
        state.OnQuarantined(lead, info);
    }

    private void Record(StageWorker worker, long started, string outcome)
    {
        if (started != 0)
        {
            var elapsed = Stopwatch.GetTimestamp() - started;
            if (worker.MeasuresBusy)
            {
                worker.Counters.AddBusy(elapsed);
            }

            if (AicmoDiagnostics.StageDuration.Enabled)
            {
                AicmoDiagnostics.StageDuration.Record((double)elapsed / Stopwatch.Frequency, _stageTag);
            }
        }

        if (AicmoDiagnostics.LeadsProcessed.Enabled)
        {
            AicmoDiagnostics.LeadsProcessed.Add(1, _stageTag, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private static string OutcomeTag(LeadStatus status) => status switch
    {
        LeadStatus.Disqualified => "disqualified",
        LeadStatus.ManualReview => "manual_review",
        LeadStatus.Contacted or LeadStatus.Replied or LeadStatus.Converted => "contacted",
        LeadStatus.Unsubscribed or LeadStatus.Bounced => "suppressed",
        LeadStatus.Quarantined => "quarantined",
        _ => "finished",
    };

    // Typed on StageResult: a non-generic pipeline would box every stage's result to pass it through the retry strategy.
    private ResiliencePipeline<StageResult>? BuildResilience(RetryOptions retry, TimeSpan timeout, Func<Exception, bool> isTransient, TimeProvider time)
    {
        if (retry.MaxRetryAttempts == 0 && timeout == Timeout.InfiniteTimeSpan)
        {
            return null;
        }

        var builder = new ResiliencePipelineBuilder<StageResult> { TimeProvider = time, Name = "aicmo." + Name };
        if (retry.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new Polly.Retry.RetryStrategyOptions<StageResult>
            {
                MaxRetryAttempts = retry.MaxRetryAttempts,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = retry.UseJitter,
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is { } e && isTransient(e)),
                OnRetry = args =>
                {
                    args.Context.Properties.Set(RetriesKey, args.AttemptNumber + 1);
                    AicmoDiagnostics.Retries.Add(1, _stageTag);
                    Log.StageRetry(_logger, Name, args.AttemptNumber + 2, args.Outcome.Exception?.GetType().Name ?? "none");
                    return default;
                },
            });
        }

        if (timeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(timeout);
        }

        return builder.Build();
    }

    private readonly record struct Attempt(StageResult Result, Exception? Fault);

    // Carries the first attempt's fault into the resilience pipeline: its first call reports that fault instead of running
    // the stage again, so Polly sees the same outcome it would have seen running the attempt itself.
    private sealed class Invocation(ILeadStage stage, Lead lead, StageContext context, Exception firstFault)
    {
        private Exception? _firstFault = firstFault;

        public ValueTask<StageResult> ExecuteAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _firstFault, null) is { } fault)
            {
                return ValueTask.FromException<StageResult>(fault);
            }

            return stage.ExecuteAsync(lead, context, cancellationToken);
        }
    }
}
