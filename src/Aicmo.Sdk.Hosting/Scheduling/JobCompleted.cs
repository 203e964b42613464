using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.Hosting;

/// <summary>A job ended, and its result was recorded in the job history (under its lease's fencing token).</summary>
/// <param name="JobId">The job.</param>
/// <param name="ScheduleId">The schedule.</param>
/// <param name="CampaignId">The campaign.</param>
/// <param name="JobKind">The job kind.</param>
/// <param name="ScheduledAt">The occurrence.</param>
/// <param name="Timestamp">When it ended.</param>
/// <param name="Result">The recorded result: status, times, counts, error.</param>
public sealed record JobCompleted(
    Guid JobId, string ScheduleId, string CampaignId, string JobKind, DateTimeOffset ScheduledAt, DateTimeOffset Timestamp, JobResult Result)
    : JobEvent(JobId, ScheduleId, CampaignId, JobKind, ScheduledAt, Timestamp);
