using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.AspNetCore.Schedules.Internal;

/// <summary>A schedule on the wire, with its next fire time and version as the store keeps them.</summary>
internal sealed record ScheduleResponse(
    string Id,
    string CampaignId,
    string JobKind,
    string Cron,
    string TimeZone,
    bool Enabled,
    string Misfire,
    TimeSpan MisfireThreshold,
    int MaxCatchUp,
    ScheduleRetryDto Retry,
    long? MaxLeads,
    DateTimeOffset? NextFireAt,
    long Version,
    DateTimeOffset UpdatedAt)
{
    public static ScheduleResponse From(JobSchedule s) => new(
        s.Id, s.CampaignId, s.JobKind, s.Cron, s.TimeZone, s.Enabled, ScheduleRules.MisfireName(s.Misfire), s.MisfireThreshold, s.MaxCatchUp,
        new ScheduleRetryDto { MaxRetries = s.Retry.MaxRetries, BaseDelay = s.Retry.BaseDelay, MaxDelay = s.Retry.MaxDelay, UseJitter = s.Retry.UseJitter },
        s.MaxLeads, s.NextFireAt, s.Version, s.UpdatedAt);
}
