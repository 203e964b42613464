using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>
/// The read side a dashboard needs, over whichever stores are registered: funnels per campaign and per run, a lead with its
/// audit trail, leads by state and the outbox by state, one page at a time.
/// </summary>
/// <param name="leads">The lead store.</param>
/// <param name="audit">The audit log.</param>
/// <param name="outbox">The email outbox.</param>
/// <param name="runs">The run store.</param>
public sealed class LeadDashboard(ILeadRepository leads, IAuditLog audit, IEmailOutbox outbox, IRunRepository runs)
{
    /// <summary>Counts a campaign's leads per state.</summary>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The funnel.</returns>
    public async ValueTask<LeadFunnel> GetFunnelAsync(string campaignId, CancellationToken cancellationToken = default) =>
        new(campaignId, null, await leads.CountByStatusAsync(campaignId, null, cancellationToken).ConfigureAwait(false));

    /// <summary>Counts the leads a run harvested, per state (where they stand now), with the run's own record.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The run and its funnel, or <see langword="null"/> when the run is unknown.</returns>
    public async ValueTask<(RunRecord Run, LeadFunnel Funnel)?> GetRunFunnelAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        var run = await runs.GetAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return null;
        }

        var counts = await leads.CountByStatusAsync(run.CampaignId, runId, cancellationToken).ConfigureAwait(false);
        return (run, new LeadFunnel(run.CampaignId, runId, counts));
    }

    /// <summary>Gets a lead with its audit trail.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The lead and its trail, or <see langword="null"/> when the lead is unknown.</returns>
    public async ValueTask<LeadDetails?> GetLeadAsync(Guid leadId, CancellationToken cancellationToken = default)
    {
        var lead = await leads.GetAsync(leadId, cancellationToken).ConfigureAwait(false);
        return lead is null ? null : new LeadDetails(lead, await audit.ReadAsync(leadId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Lists a campaign's leads, optionally in one state, one page at a time, ordered by creation time then id.</summary>
    /// <param name="query">The campaign, state and page.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>One page of leads.</returns>
    public ValueTask<IReadOnlyList<Lead>> ListLeadsAsync(LeadQuery query, CancellationToken cancellationToken = default) =>
        leads.QueryAsync(query, cancellationToken);

    /// <summary>Lists outbox entries, optionally in one state, oldest first, one page at a time.</summary>
    /// <param name="status">The state, or <see langword="null"/> for all.</param>
    /// <param name="skip">How many to skip.</param>
    /// <param name="take">The page size.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>One page of entries.</returns>
    public ValueTask<IReadOnlyList<OutboxEntry>> ListOutboxAsync(OutboxStatus? status = null, int skip = 0, int take = 100, CancellationToken cancellationToken = default) =>
        outbox.ListAsync(status, skip, take, cancellationToken);
}
