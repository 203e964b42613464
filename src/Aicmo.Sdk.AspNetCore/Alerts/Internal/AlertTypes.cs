namespace Aicmo.Sdk.AspNetCore.Alerts.Internal;

/// <summary>The alert types and severities, as they appear on the wire.</summary>
internal static class AlertTypes
{
    public const string ConsecutiveFailedRuns = "consecutive-failed-runs";
    public const string QuarantineRate = "quarantine-rate";
    public const string SendFailureRate = "send-failure-rate";
    public const string MisfiredSchedule = "misfired-schedule";
    public const string StoreUnhealthy = "store-unhealthy";

    public const string Critical = "critical";
    public const string Warning = "warning";
}
