using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>A campaign's aggregate counts (see <see cref="ILeadStatistics"/>).</summary>
public sealed record CampaignLeadStatistics
{
    /// <summary>Gets the campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Gets the number of leads in each state; states without leads are left out.</summary>
    public required IReadOnlyDictionary<LeadStatus, long> Counts { get; init; }

    /// <summary>Gets the most frequent reasons leads were disqualified for (from the audit trail), most frequent first, ties by reason.</summary>
    public IReadOnlyList<ReasonCount> TopDisqualificationReasons { get; init; } = [];

    /// <summary>Gets how many leads were created at or after <see cref="LeadStatisticsQuery.CreatedSince"/>.</summary>
    public long LeadsCreatedSince { get; init; }

    /// <summary>Gets how many outbox entries are <see cref="OutboxStatus.Sent"/>.</summary>
    public long EmailsSent { get; init; }

    /// <summary>Gets how many emails were sent at or after <see cref="LeadStatisticsQuery.SentSince"/>.</summary>
    public long EmailsSentSince { get; init; }

    /// <summary>Gets how many outbox entries are <see cref="OutboxStatus.Failed"/>.</summary>
    public long EmailsFailed { get; init; }

    /// <summary>Gets the number of leads in every state together.</summary>
    public long Total => Counts.Values.Sum();

    /// <summary>Returns the number of leads in a state.</summary>
    /// <param name="status">The state.</param>
    /// <returns>The count, 0 when none.</returns>
    public long this[LeadStatus status] => Counts.GetValueOrDefault(status);
}
