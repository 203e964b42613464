namespace Aicmo.Sdk.AspNetCore.Schedules.Internal;

/// <summary>The body of a schedule create or replace. Durations are <c>hh:mm:ss</c> (or <c>d.hh:mm:ss</c>).</summary>
internal sealed record ScheduleRequest
{
    public string? Id { get; init; }

    public string? CampaignId { get; init; }

    /// <summary>Gets the job kind (<c>pipeline</c> unless told; <c>nurture</c>, or a kind the host added).</summary>
    public string? JobKind { get; init; }

    public string? Cron { get; init; }

    /// <summary>Gets the IANA time zone (<c>UTC</c> unless told).</summary>
    public string? TimeZone { get; init; }

    public bool? Enabled { get; init; }

    /// <summary>Gets <c>skip</c>, <c>runOnce</c> (the default) or <c>catchUp</c>.</summary>
    public string? Misfire { get; init; }

    public TimeSpan? MisfireThreshold { get; init; }

    public int? MaxCatchUp { get; init; }

    public ScheduleRetryDto? Retry { get; init; }

    public long? MaxLeads { get; init; }
}
