using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.AspNetCore.Dashboard.Internal;

/// <summary>One fire of a scheduled job, from the job history.</summary>
internal sealed record JobSummaryResponse(
    Guid Id, string? ScheduleId, string JobKind, string Status, DateTimeOffset ScheduledAt, DateTimeOffset CompletedAt, long DurationMs, Guid? RunId, string? Error)
{
    public static JobSummaryResponse From(JobResult j) =>
        new(j.Id, j.ScheduleId, j.JobKind, j.Status.ToString(), j.ScheduledAt, j.CompletedAt, (long)j.Duration.TotalMilliseconds, j.RunId, j.Error);
}
