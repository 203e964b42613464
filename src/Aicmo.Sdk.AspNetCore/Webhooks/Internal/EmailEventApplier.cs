using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.AspNetCore.Webhooks.Internal;

/// <summary>
/// Maps mail events onto the core's stop conditions: <see cref="NurtureService.StopAsync"/> for each lead the event names (a
/// bounce moves the lead to <c>Bounced</c>, a complaint or an unsubscribe to <c>Unsubscribed</c>, a reply to <c>Replied</c>, each
/// ending its sequence), and bounces, complaints and unsubscribes suppress the address even when no lead holds it. Applying an
/// event twice changes nothing more, so a provider's retry is harmless.
/// </summary>
internal sealed class EmailEventApplier(NurtureService nurture, ILeadRepository leads, ICampaignRepository campaigns, ISuppressionList suppression, TimeProvider time)
{
    private const int ConflictRetries = 3;

    public async Task<EmailEventResult> ApplyAsync(int index, EmailEvent e, string? normalizedEmail, CancellationToken cancellationToken)
    {
        var reason = EmailEventTypes.StopReason(e.Type!);
        var targets = new List<Guid>();
        if (e.LeadId is { } leadId)
        {
            var lead = await leads.GetAsync(leadId, cancellationToken).ConfigureAwait(false);
            if (lead is not null && (e.CampaignId is null || lead.CampaignId == e.CampaignId))
            {
                targets.Add(lead.Id);
                normalizedEmail ??= Identity.LeadIdentity.NormalizeEmail(lead.Email);
            }
        }
        else if (normalizedEmail is not null)
        {
            var scope = e.CampaignId is null
                ? (await campaigns.ListAsync(cancellationToken).ConfigureAwait(false)).Select(c => c.Id)
                : [e.CampaignId];
            foreach (var campaignId in scope)
            {
                if (await leads.FindByIdentityAsync(campaignId, "e:" + normalizedEmail, cancellationToken).ConfigureAwait(false) is { } lead)
                {
                    targets.Add(lead.Id);
                }
            }
        }

        var stopped = 0;
        foreach (var id in targets)
        {
            if (await StopAsync(id, reason, cancellationToken).ConfigureAwait(false))
            {
                stopped++;
            }
        }

        var suppressed = false;
        if (reason is not NurtureStopReason.Reply && normalizedEmail is not null)
        {
            // StopAsync suppressed the address of each lead it found; an address no lead holds is suppressed here.
            if (await suppression.GetAsync(normalizedEmail, cancellationToken).ConfigureAwait(false) is null)
            {
                await suppression.AddAsync(new SuppressionEntry(normalizedEmail, EmailEventTypes.SuppressionReason(reason), time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            }

            suppressed = true;
        }

        return new EmailEventResult(index, e.Id, e.Type!, stopped, suppressed);
    }

    private async Task<bool> StopAsync(Guid leadId, NurtureStopReason reason, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < ConflictRetries; attempt++)
        {
            // A lead already stopped for good is left as it is: a repeated event changes nothing.
            var lead = await leads.GetAsync(leadId, cancellationToken).ConfigureAwait(false);
            if (lead is null || lead.Status is LeadStatus.Replied or LeadStatus.Converted or LeadStatus.Unsubscribed or LeadStatus.Bounced)
            {
                return false;
            }

            // False is a lost compare-and-set: another writer moved the lead on meanwhile; read it again and retry.
            if (await nurture.StopAsync(leadId, reason, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }

        return false;
    }
}
