namespace Aicmo.Sdk.Hosting;

/// <summary>A fire was skipped: a run of the same (campaign, job kind) was live (the overlap policy).</summary>
/// <param name="JobId">The job.</param>
/// <param name="ScheduleId">The schedule.</param>
/// <param name="CampaignId">The campaign.</param>
/// <param name="JobKind">The job kind.</param>
/// <param name="ScheduledAt">The occurrence.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Attempt">The attempt that was skipped.</param>
/// <param name="Reason">Who held the lease.</param>
public sealed record JobSkipped(
    Guid JobId, string ScheduleId, string CampaignId, string JobKind, DateTimeOffset ScheduledAt, DateTimeOffset Timestamp, int Attempt, string Reason)
    : JobEvent(JobId, ScheduleId, CampaignId, JobKind, ScheduledAt, Timestamp);
