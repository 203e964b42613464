namespace Aicmo.Sdk.Hosting;

/// <summary>A job failed and a retry is planned (kept in the job store, so a restart or another host still fires it).</summary>
/// <param name="JobId">The job that failed.</param>
/// <param name="ScheduleId">The schedule.</param>
/// <param name="CampaignId">The campaign.</param>
/// <param name="JobKind">The job kind.</param>
/// <param name="ScheduledAt">The occurrence.</param>
/// <param name="Timestamp">When the retry was planned.</param>
/// <param name="Attempt">The attempt the retry will be.</param>
/// <param name="DueAt">When it is due.</param>
/// <param name="Error">The failure.</param>
public sealed record JobRetryPlanned(
    Guid JobId, string ScheduleId, string CampaignId, string JobKind, DateTimeOffset ScheduledAt, DateTimeOffset Timestamp,
    int Attempt, DateTimeOffset DueAt, string? Error)
    : JobEvent(JobId, ScheduleId, CampaignId, JobKind, ScheduledAt, Timestamp);
