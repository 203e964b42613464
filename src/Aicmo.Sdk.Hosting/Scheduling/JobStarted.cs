namespace Aicmo.Sdk.Hosting;

/// <summary>A job started under its lease (a retry is a start with <see cref="Attempt"/> above 1).</summary>
/// <param name="JobId">The job.</param>
/// <param name="ScheduleId">The schedule.</param>
/// <param name="CampaignId">The campaign.</param>
/// <param name="JobKind">The job kind.</param>
/// <param name="ScheduledAt">The occurrence.</param>
/// <param name="Timestamp">When it started.</param>
/// <param name="Attempt">The attempt, 1 for the first.</param>
/// <param name="Host">The host running it.</param>
/// <param name="FencingToken">The lease's fencing token.</param>
/// <param name="ResumingRunId">The run a dead host left unfinished under the lease, which this job resumes, or <see langword="null"/>.</param>
public sealed record JobStarted(
    Guid JobId, string ScheduleId, string CampaignId, string JobKind, DateTimeOffset ScheduledAt, DateTimeOffset Timestamp,
    int Attempt, string Host, long FencingToken, Guid? ResumingRunId)
    : JobEvent(JobId, ScheduleId, CampaignId, JobKind, ScheduledAt, Timestamp);
