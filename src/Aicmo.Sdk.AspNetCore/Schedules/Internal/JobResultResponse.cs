using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.AspNetCore.Schedules.Internal;

/// <summary>One fire of a schedule on the wire: how it ended, when, the run it ran and what it handled.</summary>
internal sealed record JobResultResponse(
    Guid Id,
    string? ScheduleId,
    string CampaignId,
    string JobKind,
    string Status,
    DateTimeOffset ScheduledAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset CompletedAt,
    long DurationMs,
    int Attempt,
    Guid? RunId,
    long LeadsProcessed,
    long Qualified,
    long Contacted,
    string? Error)
{
    public static JobResultResponse From(JobResult r) => new(
        r.Id, r.ScheduleId, r.CampaignId, r.JobKind, r.Status.ToString(), r.ScheduledAt, r.StartedAt, r.CompletedAt, (long)r.Duration.TotalMilliseconds,
        r.Attempt, r.RunId, r.LeadsProcessed, r.Qualified, r.Contacted, r.Error);
}
