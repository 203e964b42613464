using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Smtp.Inbox.Internal;

/// <summary>
/// Postpones a lead's next nurture step (an out-of-office answer): a compare-and-set on the lead's version, retried on conflict,
/// with an audit event for the new version.
/// </summary>
/// <remarks>
/// This belongs in the core's <c>NurtureService</c> beside <c>StopAsync</c>; it lives here until the core offers a pause, and
/// follows the same rules (new version, no state change, one audit event per version).
/// </remarks>
internal sealed class LeadPauser(ILeadRepository leads, IAuditLog audit, TimeProvider timeProvider)
{
    private const int Attempts = 5;

    public async ValueTask<PauseOutcome> PauseAsync(Guid leadId, DateTimeOffset until, string reason, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var lead = await leads.GetAsync(leadId, cancellationToken).ConfigureAwait(false);
            if (lead is null)
            {
                return PauseOutcome.NotFound;
            }

            if (lead.Status is not (LeadStatus.Routed or LeadStatus.Contacted) || lead.Nurture is not { NextStepDueAt: { } due } state)
            {
                return PauseOutcome.NothingScheduled;
            }

            if (due >= until)
            {
                return PauseOutcome.AlreadyLater;
            }

            var now = timeProvider.GetUtcNow();
            var expected = lead.Version;
            lead.Nurture = state with { Outcome = NurtureOutcome.Scheduled, Reason = reason, NextStepDueAt = until };
            lead.Version++;
            lead.UpdatedAt = now;
            if (await leads.UpdateAsync(lead, expected, cancellationToken).ConfigureAwait(false))
            {
                await audit.AppendAsync(
                    new AuditEvent(lead.Id, lead.CampaignId, Guid.Empty, lead.Version, StageNames.Nurture, lead.Status, lead.Status, reason, now),
                    CancellationToken.None).ConfigureAwait(false);
                return PauseOutcome.Paused;
            }
        }

        return PauseOutcome.Conflict;
    }
}
