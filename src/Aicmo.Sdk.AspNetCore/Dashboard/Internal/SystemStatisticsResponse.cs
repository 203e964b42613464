namespace Aicmo.Sdk.AspNetCore.Dashboard.Internal;

/// <summary>
/// System-wide statistics over every campaign that is not archived: leads by state, conversion rates (the share of stored leads
/// that reached qualified, routed, contacted and converted), sends today, leads this week, and each campaign's summary.
/// </summary>
internal sealed record SystemStatisticsResponse(
    int Campaigns,
    int ActiveCampaigns,
    long TotalLeads,
    IReadOnlyDictionary<string, long> LeadsByStatus,
    IReadOnlyDictionary<string, double?> ConversionRates,
    long SendsToday,
    long LeadsThisWeek,
    long EmailsSent,
    IReadOnlyList<CampaignSummaryResponse> CampaignSummaries,
    DateTimeOffset GeneratedAt);
