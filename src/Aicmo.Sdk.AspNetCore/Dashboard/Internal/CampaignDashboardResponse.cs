using Aicmo.Sdk.AspNetCore.Alerts.Internal;
using Aicmo.Sdk.AspNetCore.Runs.Internal;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.AspNetCore.Dashboard.Internal;

/// <summary>A campaign's dashboard: funnel, outcomes, totals, health with its alerts, recent runs and jobs.</summary>
internal sealed record CampaignDashboardResponse(
    string CampaignId,
    string? Name,
    bool Active,
    string Health,
    int ConsecutiveFailedRuns,
    IReadOnlyList<FunnelStepResponse> Funnel,
    IReadOnlyDictionary<string, long> Outcomes,
    IReadOnlyList<ReasonCount> DisqualifiedReasons,
    DashboardTotalsResponse Totals,
    IReadOnlyDictionary<string, long> LeadsByStatus,
    long LeadsThisWeek,
    long SendsToday,
    long EmailsFailed,
    IReadOnlyList<RunResponse> RecentRuns,
    IReadOnlyList<JobSummaryResponse> RecentJobs,
    IReadOnlyList<AlertResponse> Alerts,
    DateTimeOffset LastUpdated);
