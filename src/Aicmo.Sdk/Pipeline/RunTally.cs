using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// A run's outcome counts as the shared store holds them: every lead the run answers for (<see cref="Lead.RunId"/>), by the
/// state it is stored in. A run whose stages other processes worked on builds its result from these rather than from the
/// reports of those processes, so a process that died after its writes committed and before it reported changes nothing.
/// </summary>
/// <param name="Disqualified">Leads stored disqualified.</param>
/// <param name="ManualReview">Leads stored for manual review.</param>
/// <param name="Routed">Leads stored routed that went through nurture (an outcome).</param>
/// <param name="Contacted">Leads stored contacted, replied or converted.</param>
/// <param name="Suppressed">Leads stored unsubscribed or bounced.</param>
/// <param name="Quarantined">Leads stored quarantined.</param>
/// <param name="Pending">Leads stored in a state a later run resumes from.</param>
internal sealed record RunTally(long Disqualified, long ManualReview, long Routed, long Contacted, long Suppressed, long Quarantined, long Pending)
{
    /// <summary>Counts the leads run <paramref name="runId"/> answers for, by their stored state.</summary>
    public static async Task<RunTally> ReadAsync(ILeadRepository leads, string campaignId, Guid runId, CancellationToken cancellationToken)
    {
        var counts = await leads.CountByStatusAsync(campaignId, runId, cancellationToken).ConfigureAwait(false);
        long Of(LeadStatus status) => counts.TryGetValue(status, out var n) ? n : 0;

        // A routed lead is an outcome once nurture has seen it, and waits for nurture before: only its nurture state tells.
        long routedFinished = 0, routedWaiting = 0;
        if (Of(LeadStatus.Routed) > 0)
        {
            Guid? after = null;
            while (true)
            {
                var page = await leads.ListByRunAsync(new LeadRunQuery { RunId = runId, Statuses = [LeadStatus.Routed], After = after, Take = 1000 }, cancellationToken)
                    .ConfigureAwait(false);
                foreach (var lead in page)
                {
                    if (lead.Nurture is null)
                    {
                        routedWaiting++;
                    }
                    else
                    {
                        routedFinished++;
                    }
                }

                if (page.Count < 1000)
                {
                    break;
                }

                after = page[^1].Id;
            }
        }

        return new RunTally(
            Of(LeadStatus.Disqualified),
            Of(LeadStatus.ManualReview),
            routedFinished,
            Of(LeadStatus.Contacted) + Of(LeadStatus.Replied) + Of(LeadStatus.Converted),
            Of(LeadStatus.Unsubscribed) + Of(LeadStatus.Bounced),
            Of(LeadStatus.Quarantined),
            Of(LeadStatus.New) + Of(LeadStatus.Enriched) + Of(LeadStatus.Scored) + Of(LeadStatus.Qualified) + routedWaiting);
    }
}
