using System.Diagnostics;
using Aicmo.Sdk.Diagnostics;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace Aicmo.Sdk.Pipeline;

/// <summary>What happens to a lead after one stage.</summary>
internal enum LeadDisposition
{
    /// <summary>The lead goes on to the next stage.</summary>
    Continue,

    /// <summary>The lead reached an outcome and leaves the pipeline.</summary>
    Finished,

    /// <summary>The run is stopping; the lead stays where it is, to be resumed later.</summary>
    Pending,
}

/// <summary>The per-run state an executor works with: the stage context and the stage's counters.</summary>
internal sealed class StageRunState(StageContext context, StageCounters counters, Action<Lead, LeadFault> onQuarantined)
{
    public StageContext Context { get; } = context;

    public StageCounters Counters { get; } = counters;

    public Action<Lead, LeadFault> OnQuarantined { get; } = onQuarantined;
}

/// <summary>
/// Runs one stage for one lead: the stage under its resilience pipeline (retry, then timeout per attempt), the outcome applied
/// through the state machine, the audit event, metrics, and the decision where the lead goes next.
/// Knows nothing of how leads travel between stages, so any transport can reuse it.
/// </summary>
internal sealed class StageExecutor
{
    private static readonly ResiliencePropertyKey<int> RetriesKey = new("aicmo.retries");
    private readonly ILeadStage _stage;
    private readonly ResiliencePipeline<StageResult>? _resilience;
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
        _timeout = options.TimeoutFor(Name);
        _stageTag = new("stage", Name);
        _activityName = "aicmo.stage." + Name;
        _resilience = BuildResilience(options.Retry, _timeout, isTransient, time);
    }

    public string Name { get; }

    public async ValueTask<LeadDisposition> ExecuteAsync(Lead lead, StageRunState state, CancellationToken cancellationToken)
    {
        var counters = state.Counters;
        Interlocked.Increment(ref counters.In);
        var started = Stopwatch.GetTimestamp();
        using var activity = AicmoDiagnostics.ActivitySource.StartActivity(_activityName);
        activity?.SetTag("aicmo.lead.id", lead.Id);

        StageResult result = default;
        Exception? fault = null;
        var context = _resilience is null ? null : ResilienceContextPool.Shared.Get(cancellationToken);
        var attempts = 1;
        try
        {
            // With neither retry nor timeout configured there is nothing for a resilience pipeline to do.
            result = context is null
                ? await _stage.ExecuteAsync(lead, state.Context, cancellationToken).ConfigureAwait(false)
                : await _resilience!.ExecuteAsync(
                    static (ctx, s) => s.Stage.ExecuteAsync(s.Lead, s.Context, ctx.CancellationToken),
                    context,
                    new Invocation(_stage, lead, state.Context)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run itself is stopping: not the lead's fault.
            Interlocked.Increment(ref counters.Pending);
            Record(counters, started, "pending");
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
            await QuarantineAsync(lead, state, fault, attempts).ConfigureAwait(false);
            Record(counters, started, "quarantined");
            return LeadDisposition.Finished;
        }

        if (LeadStateMachine.IsTerminalForPipeline(lead.Status))
        {
            Record(counters, started, OutcomeTag(lead.Status));
            return LeadDisposition.Finished;
        }

        Record(counters, started, "continued");
        return LeadDisposition.Continue;
    }

    /// <summary>Called for a lead that passed the last stage: a lead not in an outcome state by then is quarantined.</summary>
    public async ValueTask EnsureOutcomeAsync(Lead lead, StageRunState state)
    {
        if (lead.Status == LeadStatus.Routed || LeadStateMachine.IsTerminalForPipeline(lead.Status))
        {
            return;
        }

        var fault = new InvalidOperationException($"The lead left the last stage in state {lead.Status}, which is not an outcome.");
        await QuarantineAsync(lead, state, fault, 1).ConfigureAwait(false);
    }

    public ValueTask AppendAuditAsync(Lead lead, StageContext context, LeadStatus? from, string reason) =>
        _audit.AppendAsync(
            new AuditEvent(lead.Id, lead.CampaignId, context.RunId, lead.Version, Name, from, lead.Status, reason, lead.UpdatedAt),
            CancellationToken.None);

    private async ValueTask QuarantineAsync(Lead lead, StageRunState state, Exception fault, int attempts)
    {
        var info = new LeadFault(Name, fault.GetType().FullName ?? fault.GetType().Name, fault.Message, attempts);
        lead.Fault = info;
        var from = lead.TransitionTo(LeadStatus.Quarantined, _time.GetUtcNow());
        await AppendAuditAsync(lead, state.Context, from, $"{info.ErrorType}: {info.Message}").ConfigureAwait(false);
        AicmoDiagnostics.Quarantines.Add(1, _stageTag);
        Log.LeadQuarantined(_logger, lead.Id, Name, attempts, info.ErrorType, info.Message);
        state.OnQuarantined(lead, info);
    }

    private void Record(StageCounters counters, long started, string outcome)
    {
        var elapsed = Stopwatch.GetTimestamp() - started;
        Interlocked.Add(ref counters.BusyTicks, elapsed);
        if (AicmoDiagnostics.StageDuration.Enabled)
        {
            AicmoDiagnostics.StageDuration.Record((double)elapsed / Stopwatch.Frequency, _stageTag);
        }

        AicmoDiagnostics.LeadsProcessed.Add(1, _stageTag, new KeyValuePair<string, object?>("outcome", outcome));
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

    private readonly record struct Invocation(ILeadStage Stage, Lead Lead, StageContext Context);
}
