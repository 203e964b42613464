namespace Aicmo.Sdk.AspNetCore.Dashboard.Internal;

/// <summary>One step of a campaign's funnel: how many leads reached it, and the share of the previous step's (absent for the first step or after an empty one).</summary>
internal sealed record FunnelStepResponse(string Stage, long Count, double? Rate);
