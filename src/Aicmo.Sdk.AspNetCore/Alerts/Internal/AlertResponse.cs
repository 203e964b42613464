namespace Aicmo.Sdk.AspNetCore.Alerts.Internal;

/// <summary>
/// An open alert: a stable id (type and subject, so a client can tell a new alert from one it has seen), its type, severity
/// (<c>critical</c> or <c>warning</c>), the campaign or schedule it is about, words for people, and the measured value against its threshold.
/// </summary>
internal sealed record AlertResponse(
    string Id,
    string Type,
    string Severity,
    string? CampaignId,
    string Title,
    string Detail,
    double? Value,
    double? Threshold,
    DateTimeOffset? Since);
