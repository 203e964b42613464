namespace Aicmo.Sdk.AspNetCore.Dashboard.Internal;

/// <summary>A campaign's headline totals: candidates harvested (over all its runs), leads qualified and routed (reached), emails sent.</summary>
internal sealed record DashboardTotalsResponse(long Harvested, long Qualified, long Routed, long EmailsSent);
