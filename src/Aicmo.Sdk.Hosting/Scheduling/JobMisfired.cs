namespace Aicmo.Sdk.Hosting;

/// <summary>An occurrence was missed by more than the misfire threshold and its policy did not run it.</summary>
/// <param name="JobId">The job.</param>
/// <param name="ScheduleId">The schedule.</param>
/// <param name="CampaignId">The campaign.</param>
/// <param name="JobKind">The job kind.</param>
/// <param name="ScheduledAt">The missed occurrence.</param>
/// <param name="Timestamp">When it was found missed.</param>
/// <param name="Reason">By how much, and the policy.</param>
public sealed record JobMisfired(
    Guid JobId, string ScheduleId, string CampaignId, string JobKind, DateTimeOffset ScheduledAt, DateTimeOffset Timestamp, string Reason)
    : JobEvent(JobId, ScheduleId, CampaignId, JobKind, ScheduledAt, Timestamp);
