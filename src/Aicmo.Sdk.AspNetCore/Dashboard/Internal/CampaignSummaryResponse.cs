using Aicmo.Sdk.AspNetCore.Runs.Internal;

namespace Aicmo.Sdk.AspNetCore.Dashboard.Internal;

/// <summary>One campaign in the system statistics: health, last run, leads this week, sends today and open alerts.</summary>
internal sealed record CampaignSummaryResponse(
    string CampaignId, string? Name, bool Active, string Health, RunResponse? LastRun, long Leads, long LeadsThisWeek, long SendsToday, int OpenAlerts);
