using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Aicmo.Sdk.Nurture;

/// <summary>
/// Moves nurture sequences on after the pipeline run that routed the leads: sends every step that has fallen due, and takes
/// the stop conditions the host reports (replies, conversions, bounces, unsubscribes, complaints) so no further step goes out.
/// </summary>
/// <remarks>
/// Call <see cref="ProcessDueAsync"/> on a schedule (for example every minute). Each lead is updated with a compare-and-set on
/// its version and every state change is audited; sends stay exactly-once through the outbox.
/// </remarks>
public sealed class NurtureService
{
    private readonly ILeadNurturer _nurturer;
    private readonly ILeadRepository _leads;
    private readonly ISuppressionList _suppression;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;
    private readonly bool _dryRun;
    private readonly int _parallelism;
    private readonly int _maxFailedPasses;
    private readonly TimeSpan _failedRetryDelay;
    private readonly ResiliencePipeline _sendPipeline;

    private const int PageSize = 500;
    private const int PauseAttempts = 5;
    private const int Counters = 8;
    private static readonly LeadStatus[] DueStates = [LeadStatus.Routed, LeadStatus.Contacted];

    private enum PassCounter
    {
        Sent,
        Scheduled,
        Stopped,
        Suppressed,
        Rejected,
        Conflict,
        Failed,
        Quarantined,
    }

    /// <summary>Initializes a new instance of the <see cref="NurtureService"/> class.</summary>
    /// <param name="nurturer">The nurturer.</param>
    /// <param name="leads">The lead store.</param>
    /// <param name="suppression">The suppression list.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="options">Dry run, the parallelism of one pass's sends and the retry of a transient send error.</param>
    /// <param name="nurture">The nurturer's options: how often a failed step is tried again before its lead is quarantined.</param>
    public NurtureService(
        ILeadNurturer nurturer,
        ILeadRepository leads,
        ISuppressionList suppression,
        IAuditLog audit,
        TimeProvider timeProvider,
        IOptions<NurtureServiceOptions> options,
        IOptions<EmailNurturerOptions> nurture)
    {
        _nurturer = nurturer ?? throw new ArgumentNullException(nameof(nurturer));
        _leads = leads ?? throw new ArgumentNullException(nameof(leads));
        _suppression = suppression ?? throw new ArgumentNullException(nameof(suppression));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        var value = (options ?? throw new ArgumentNullException(nameof(options))).Value;
        var nurturing = (nurture ?? throw new ArgumentNullException(nameof(nurture))).Value;
        _dryRun = value.DryRun;
        _parallelism = value.MaxParallelism;
        _maxFailedPasses = nurturing.MaxFailedSendPasses;
        _failedRetryDelay = nurturing.FailedSendRetryDelay;

        // The same transient errors and backoff as the pipeline's stages; each attempt of a step goes through the outbox claim.
        var isTransient = value.Retry.IsTransient ?? RetryOptions.DefaultIsTransient;
        _sendPipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = value.Retry.MaxRetryAttempts,
                Delay = value.Retry.BaseDelay,
                MaxDelay = value.Retry.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = value.Retry.UseJitter,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException && isTransient(e)),
            })
            .Build();
    }

    /// <summary>Sends every step of a campaign that is due now.</summary>
    /// <remarks>
    /// Due leads are read a page at a time by key, so a pass holds one page in memory however large the campaign. Each lead is
    /// read again right before its step is sent, so a stop condition (<see cref="StopAsync"/>) stored meanwhile wins. Each lead
    /// is isolated: a transient send error is retried; a step that still fails is recorded as failed with its reason and tried
    /// again in a later pass, and a lead whose step failed <see cref="EmailNurturerOptions.MaxFailedSendPasses"/> times is
    /// quarantined. One failing lead never stops the pass.
    /// </remarks>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="cancellationToken">A token to stop early; leads not reached wait for the next pass.</param>
    /// <returns>What the pass did.</returns>
    public async Task<NurtureBatchResult> ProcessDueAsync(string campaignId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(campaignId);
        var now = _time.GetUtcNow();
        var context = new StageContext(Guid.NewGuid(), campaignId, StageNames.Nurture, _time, _dryRun);
        var counts = new int[Counters];
        var examined = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken };
        foreach (var status in DueStates)
        {
            LeadPageKey? after = null;
            while (true)
            {
                var page = await _leads.QueryAsync(new LeadQuery { CampaignId = campaignId, Status = status, After = after, Take = PageSize }, cancellationToken).ConfigureAwait(false);
                if (page.Count == 0)
                {
                    break;
                }

                after = LeadPageKey.Of(page[^1]);
                var due = page.Where(l => l.Nurture?.NextStepDueAt is { } at && at <= now).ToList();
                examined += due.Count;
                await Parallel.ForEachAsync(due, parallel, async (lead, token) =>
                {
                    var counter = await ProcessLeadAsync(lead.Id, context, now, token).ConfigureAwait(false);
                    Interlocked.Increment(ref counts[(int)counter]);
                }).ConfigureAwait(false);

                if (page.Count < PageSize)
                {
                    break;
                }
            }
        }

        return new NurtureBatchResult(
            examined, counts[(int)PassCounter.Sent], counts[(int)PassCounter.Scheduled], counts[(int)PassCounter.Stopped],
            counts[(int)PassCounter.Suppressed], counts[(int)PassCounter.Rejected], counts[(int)PassCounter.Conflict])
        {
            Failed = counts[(int)PassCounter.Failed],
            Quarantined = counts[(int)PassCounter.Quarantined],
        };
    }

    private async Task<PassCounter> ProcessLeadAsync(Guid leadId, StageContext context, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Read again right before the send: a reply, bounce or unsubscribe stored since the page was read wins.
        var lead = await _leads.GetAsync(leadId, cancellationToken).ConfigureAwait(false);
        if (lead is null || lead.Status is not (LeadStatus.Routed or LeadStatus.Contacted))
        {
            return PassCounter.Stopped;
        }

        if (lead.Nurture?.NextStepDueAt is not { } dueAt || dueAt > now)
        {
            return PassCounter.Conflict;
        }

        var expected = lead.Version;
        NurtureState state;
        try
        {
            state = await _sendPipeline.ExecuteAsync(
                static async (s, token) => await s.Nurturer.NurtureAsync(s.Lead, s.Context, token).ConfigureAwait(false),
                (Nurturer: _nurturer, Lead: lead, Context: context),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Retries are spent (or the error is not transient): the step fails with its reason and stays due.
            var previous = lead.Nurture;
            var failures = previous.FailedAttempts + 1;
            state = previous with
            {
                Outcome = NurtureOutcome.Failed,
                Reason = $"step {previous.LastStep + 1} failed (attempt {failures}): {ex.GetType().Name}: {TextPolicy.RemoveForbidden(ex.Message)}",
                NextStepDueAt = now + _failedRetryDelay,
                FailedAttempts = failures,
                PossibleDuplicate = false,
            };
        }

        if (state.ClaimHeldElsewhere)
        {
            // Another pass or run is sending this step right now and records it: nothing to write here.
            return PassCounter.Conflict;
        }

        lead.Nurture = state;
        LeadStatus? next = null;
        PassCounter counter;
        switch (state.Outcome)
        {
            case NurtureOutcome.Sent or NurtureOutcome.AlreadySent or NurtureOutcome.DryRun:
                counter = PassCounter.Sent;
                if (state.Outcome != NurtureOutcome.DryRun && lead.Status == LeadStatus.Routed)
                {
                    next = LeadStatus.Contacted;
                }

                break;
            case NurtureOutcome.Scheduled:
                counter = PassCounter.Scheduled;
                break;
            case NurtureOutcome.Suppressed:
                counter = PassCounter.Suppressed;
                lead.Consent = ConsentState.Suppressed;
                next = LeadStatus.Unsubscribed;
                break;
            case NurtureOutcome.Rejected:
                counter = PassCounter.Rejected;
                lead.Nurture = state with { NextStepDueAt = null };
                if (lead.Status == LeadStatus.Routed)
                {
                    next = LeadStatus.ManualReview;
                }

                break;
            case NurtureOutcome.Bounced:
                counter = PassCounter.Stopped;
                lead.Nurture = state with { NextStepDueAt = null };
                if (LeadIdentity.NormalizeEmail(lead.Email) is { } email)
                {
                    await _suppression.AddAsync(new SuppressionEntry(email, SuppressionReason.Bounced, now), CancellationToken.None).ConfigureAwait(false);
                    lead.Consent = ConsentState.Suppressed;
                }

                next = LeadStatus.Bounced;
                break;
            case NurtureOutcome.Failed when state.FailedAttempts >= _maxFailedPasses:
                counter = PassCounter.Quarantined;
                lead.Nurture = state with { NextStepDueAt = null };
                lead.Fault = new LeadFault(StageNames.Nurture, nameof(NurtureOutcome.Failed), state.Reason, state.FailedAttempts);
                next = LeadStatus.Quarantined;
                break;
            case NurtureOutcome.Failed:
                counter = PassCounter.Failed;
                break;
            default:
                counter = PassCounter.Stopped;
                break;
        }

        if (next is { } target && !LeadStateMachine.CanTransition(lead.Status, target))
        {
            next = null;
        }

        return await SaveAsync(lead, expected, next, context.RunId, state.Reason, CancellationToken.None).ConfigureAwait(false)
            ? counter
            : PassCounter.Conflict;
    }

    /// <summary>
    /// Stops a lead's sequence because of an event the host received. Bounces, unsubscribes and complaints also put the
    /// address on the suppression list, so no email reaches it from any sequence or campaign.
    /// </summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="reason">What happened.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when the lead was found and no further step will be sent to it.</returns>
    public async ValueTask<bool> StopAsync(Guid leadId, NurtureStopReason reason, CancellationToken cancellationToken = default)
    {
        var lead = await _leads.GetAsync(leadId, cancellationToken).ConfigureAwait(false);
        if (lead is null)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        if (reason is NurtureStopReason.Bounce or NurtureStopReason.Unsubscribe or NurtureStopReason.Complaint &&
            LeadIdentity.NormalizeEmail(lead.Email) is { } email)
        {
            var suppression = reason switch
            {
                NurtureStopReason.Bounce => SuppressionReason.Bounced,
                NurtureStopReason.Complaint => SuppressionReason.Complained,
                _ => SuppressionReason.Unsubscribed,
            };
            await _suppression.AddAsync(new SuppressionEntry(email, suppression, now), cancellationToken).ConfigureAwait(false);
            lead.Consent = ConsentState.Suppressed;
        }

        var target = reason switch
        {
            NurtureStopReason.Reply => LeadStatus.Replied,
            NurtureStopReason.Conversion => LeadStatus.Converted,
            NurtureStopReason.Bounce => LeadStatus.Bounced,
            _ => LeadStatus.Unsubscribed,
        };

        var expected = lead.Version;
        if (lead.Nurture is { } state)
        {
            lead.Nurture = state with { Outcome = NurtureOutcome.Stopped, Reason = "sequence stopped: " + reason.ToString().ToLowerInvariant(), NextStepDueAt = null };
        }

        var next = lead.Status != target && LeadStateMachine.CanTransition(lead.Status, target) ? target : (LeadStatus?)null;
        return await SaveAsync(lead, expected, next, Guid.Empty, "stop condition: " + reason.ToString().ToLowerInvariant(), cancellationToken).ConfigureAwait(false)
               || reason is NurtureStopReason.Bounce or NurtureStopReason.Unsubscribe or NurtureStopReason.Complaint;
    }

    /// <summary>
    /// Pauses a lead's sequence until a given time (an out-of-office answer, a request to call back later): its next step is
    /// not sent before <paramref name="until"/>. The pause is stored on the lead's nurture state
    /// (<see cref="NurtureState.PausedUntil"/>, with <paramref name="reason"/>) as a new version of the lead, and audited with
    /// that reason; the lead's state does not change. <see cref="ProcessDueAsync"/> takes the step up again once the pause
    /// ends (the sending window and throttles still apply then).
    /// </summary>
    /// <remarks>
    /// A pause only ever postpones: a step already due later is left as it is. The write is a compare-and-set on the lead's
    /// version, read again and retried when another writer changed the lead meanwhile; a step being sent at that very moment
    /// may still go out (its send wins the compare-and-set). A stop (<see cref="StopAsync"/>) ends a paused sequence as any other.
    /// </remarks>
    /// <param name="leadId">The lead.</param>
    /// <param name="until">When the pause ends.</param>
    /// <param name="reason">Why, in words a person can read (stored and audited; refused control characters are removed).</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>What was done.</returns>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty.</exception>
    public async ValueTask<NurturePauseOutcome> PauseAsync(Guid leadId, DateTimeOffset until, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var text = TextPolicy.RemoveForbidden(reason.Trim())!;
        for (var attempt = 0; attempt < PauseAttempts; attempt++)
        {
            var lead = await _leads.GetAsync(leadId, cancellationToken).ConfigureAwait(false);
            if (lead is null)
            {
                return NurturePauseOutcome.NotFound;
            }

            if (lead.Status is not (LeadStatus.Routed or LeadStatus.Contacted) || lead.Nurture is not { NextStepDueAt: { } due } state)
            {
                return NurturePauseOutcome.NothingScheduled;
            }

            if (due >= until)
            {
                return NurturePauseOutcome.AlreadyLater;
            }

            var expected = lead.Version;
            lead.Nurture = state with { Outcome = NurtureOutcome.Scheduled, Reason = text, NextStepDueAt = until, PausedUntil = until };
            if (await SaveAsync(lead, expected, next: null, Guid.Empty, text, cancellationToken).ConfigureAwait(false))
            {
                return NurturePauseOutcome.Paused;
            }
        }

        return NurturePauseOutcome.Conflict;
    }

    private async ValueTask<bool> SaveAsync(Lead lead, long expected, LeadStatus? next, Guid runId, string reason, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var from = lead.Status;
        if (next is { } to)
        {
            lead.TransitionTo(to, now);
        }
        else
        {
            // No state change, but the nurture state moved on: still a new version, so concurrent writers cannot both win.
            lead.Version++;
            lead.UpdatedAt = now;
        }

        // Every version gets its audit event (a step sent without a state change too), so the trail has no gaps; the event is
        // stored with the lead in one write, and not at all when another writer changed the lead first.
        var auditEvent = new AuditEvent(lead.Id, lead.CampaignId, runId, lead.Version, StageNames.Nurture, from, lead.Status, reason, now);
        return await LeadWrites.UpdateAsync(_leads, _audit, lead, expected, new[] { auditEvent }, cancellationToken).ConfigureAwait(false);
    }
}
