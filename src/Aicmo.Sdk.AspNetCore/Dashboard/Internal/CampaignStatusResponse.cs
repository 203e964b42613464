using Aicmo.Sdk.AspNetCore.Runs.Internal;

namespace Aicmo.Sdk.AspNetCore.Dashboard.Internal;

/// <summary>A campaign's status: whether it can run, its health, the run going now (if any) and the last one that ended.</summary>
internal sealed record CampaignStatusResponse(
    string CampaignId,
    string? Name,
    bool Active,
    bool Archived,
    string Health,
    int ConsecutiveFailedRuns,
    int OpenAlerts,
    RunResponse? CurrentRun,
    RunResponse? LastRun,
    DateTimeOffset LastUpdated);
