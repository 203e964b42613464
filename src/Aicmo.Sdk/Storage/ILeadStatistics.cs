namespace Aicmo.Sdk.Storage;

/// <summary>
/// Aggregate counts over a campaign's stored leads, audit trail and outbox, for dashboards and alerts. The built-in stores keep
/// running counts with their writes, so a read costs the same on a campaign of millions of leads as on an empty one.
/// </summary>
/// <remarks>
/// Implementations must be thread-safe. The counts are a snapshot; runs may change them while they are read. Every write whose call
/// completed before the read is counted, audit events appended without waiting included.
/// </remarks>
public interface ILeadStatistics
{
    /// <summary>Counts one campaign's leads per state, its most frequent disqualification reasons, its recent leads and its sends.</summary>
    /// <param name="query">The campaign and the windows to count in.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The counts; a campaign with no leads gives zeros.</returns>
    ValueTask<CampaignLeadStatistics> GetCampaignStatisticsAsync(LeadStatisticsQuery query, CancellationToken cancellationToken = default);
}
