namespace Aicmo.Sdk.AspNetCore.Alerts.Internal;

/// <summary>The open alerts, critical first, and when they were evaluated.</summary>
internal sealed record AlertsResponse(IReadOnlyList<AlertResponse> Items, DateTimeOffset EvaluatedAt);
