using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Nurture;

/// <summary>Why a lead's sequence stops, as reported by the host.</summary>
public enum NurtureStopReason
{
    /// <summary>The person replied.</summary>
    Reply,

    /// <summary>The lead converted (booked a meeting, bought).</summary>
    Conversion,

    /// <summary>Mail to the person bounced.</summary>
    Bounce,

    /// <summary>The person unsubscribed.</summary>
    Unsubscribe,

    /// <summary>The person complained (marked an email as spam).</summary>
    Complaint,
}

/// <summary>What one <see cref="NurtureService.ProcessDueAsync"/> pass did.</summary>
/// <param name="Examined">Leads whose next step was due.</param>
/// <param name="Sent">Steps sent (or recorded, in dry-run mode).</param>
/// <param name="Scheduled">Leads postponed (window, throttle) with a new due time.</param>
/// <param name="Stopped">Leads whose sequence ended.</param>
/// <param name="Suppressed">Leads found suppressed at send time.</param>
/// <param name="Rejected">Leads whose email could not be built.</param>
/// <param name="Conflicts">Leads changed by someone else meanwhile (skipped; the next pass sees them again).</param>
public sealed record NurtureBatchResult(int Examined, int Sent, int Scheduled, int Stopped, int Suppressed, int Rejected, int Conflicts);

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

    /// <summary>Initializes a new instance of the <see cref="NurtureService"/> class.</summary>
    /// <param name="nurturer">The nurturer.</param>
    /// <param name="leads">The lead store.</param>
    /// <param name="suppression">The suppression list.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="options">The pipeline options: <see cref="AicmoPipelineOptions.DryRun"/>, and the nurture stage's parallelism for the sends of one pass.</param>
    public NurtureService(ILeadNurturer nurturer, ILeadRepository leads, ISuppressionList suppression, IAuditLog audit, TimeProvider timeProvider, IOptions<AicmoPipelineOptions> options)
    {
        _nurturer = nurturer ?? throw new ArgumentNullException(nameof(nurturer));
        _leads = leads ?? throw new ArgumentNullException(nameof(leads));
        _suppression = suppression ?? throw new ArgumentNullException(nameof(suppression));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        var value = (options ?? throw new ArgumentNullException(nameof(options))).Value;
        _dryRun = value.DryRun;
        _parallelism = value.ParallelismFor(StageNames.Nurture);
    }

    /// <summary>Sends every step of a campaign that is due now.</summary>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="cancellationToken">A token to stop early; leads not reached wait for the next pass.</param>
    /// <returns>What the pass did.</returns>
    public async Task<NurtureBatchResult> ProcessDueAsync(string campaignId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(campaignId);
        var now = _time.GetUtcNow();
        var due = new List<Lead>();
        foreach (var status in new[] { LeadStatus.Routed, LeadStatus.Contacted })
        {
            for (var skip = 0; ; skip += 500)
            {
                var page = await _leads.QueryAsync(new LeadQuery { CampaignId = campaignId, Status = status, Skip = skip, Take = 500 }, cancellationToken).ConfigureAwait(false);
                due.AddRange(page.Where(l => l.Nurture?.NextStepDueAt is { } at && at <= now));
                if (page.Count < 500)
                {
                    break;
                }
            }
        }

        var context = new StageContext(Guid.NewGuid(), campaignId, StageNames.Nurture, _time, _dryRun);
        var counts = new int[6];
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken },
            async (lead, token) =>
            {
                var expected = lead.Version;
                var state = await _nurturer.NurtureAsync(lead, context, token).ConfigureAwait(false);
                lead.Nurture = state;
                LeadStatus? next = null;
                int counter;
                switch (state.Outcome)
                {
                    case NurtureOutcome.Sent or NurtureOutcome.AlreadySent or NurtureOutcome.DryRun:
                        counter = 0;
                        if (state.Outcome != NurtureOutcome.DryRun && lead.Status == LeadStatus.Routed)
                        {
                            next = LeadStatus.Contacted;
                        }

                        break;
                    case NurtureOutcome.Scheduled:
                        counter = 1;
                        break;
                    case NurtureOutcome.Suppressed:
                        counter = 3;
                        lead.Consent = ConsentState.Suppressed;
                        next = LeadStatus.Unsubscribed;
                        break;
                    case NurtureOutcome.Rejected:
                        counter = 4;
                        lead.Nurture = state with { NextStepDueAt = null };
                        if (lead.Status == LeadStatus.Routed)
                        {
                            next = LeadStatus.ManualReview;
                        }

                        break;
                    default:
                        counter = 2;
                        break;
                }

                Interlocked.Increment(ref counts[counter]);
                if (!await SaveAsync(lead, expected, next, context.RunId, state.Reason, CancellationToken.None).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref counts[5]);
                }
            }).ConfigureAwait(false);

        return new NurtureBatchResult(due.Count, counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
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

        if (!await _leads.UpdateAsync(lead, expected, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        // Every version gets its audit event (a step sent without a state change too), so the trail has no gaps.
        await _audit.AppendAsync(
            new AuditEvent(lead.Id, lead.CampaignId, runId, lead.Version, StageNames.Nurture, from, lead.Status, reason, now),
            CancellationToken.None).ConfigureAwait(false);
        return true;
    }
}
