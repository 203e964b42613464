using Aicmo.Sdk.AspNetCore.Alerts.Internal;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.AspNetCore.Dashboard.Internal;

/// <summary>What the dashboard, the status and the alerts know about one campaign at one moment, read once per request.</summary>
internal sealed record CampaignSnapshot(
    Campaign Campaign,
    CampaignLeadStatistics Statistics,
    IReadOnlyList<RunRecord> RecentRuns,
    long Harvested,
    long Duplicates,
    long Suppressed,
    int ConsecutiveFailedRuns,
    IReadOnlyList<JobResult> RecentJobs,
    IReadOnlyList<AlertResponse> Alerts,
    string Health,
    DateTimeOffset ReadAt)
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Failing = "failing";
}
