namespace Aicmo.Sdk.Storage;

/// <summary>What <see cref="ILeadStatistics.GetCampaignStatisticsAsync"/> counts.</summary>
public sealed record LeadStatisticsQuery
{
    /// <summary>Gets the campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Gets the start of the window <see cref="CampaignLeadStatistics.LeadsCreatedSince"/> counts in (for example the start of the week).</summary>
    public required DateTimeOffset CreatedSince { get; init; }

    /// <summary>Gets the start of the window <see cref="CampaignLeadStatistics.EmailsSentSince"/> counts in (for example the start of the day).</summary>
    public required DateTimeOffset SentSince { get; init; }

    /// <summary>Gets how many disqualification reasons to return, most frequent first.</summary>
    /// <value>The default value is 5.</value>
    public int TopReasons { get; init; } = 5;
}
