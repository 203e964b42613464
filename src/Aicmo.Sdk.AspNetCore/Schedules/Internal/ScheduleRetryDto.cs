namespace Aicmo.Sdk.AspNetCore.Schedules.Internal;

/// <summary>How a failed fire is retried (see <c>JobRetryPolicy</c>); an absent field keeps its default.</summary>
internal sealed record ScheduleRetryDto
{
    public int? MaxRetries { get; init; }

    public TimeSpan? BaseDelay { get; init; }

    public TimeSpan? MaxDelay { get; init; }

    public bool? UseJitter { get; init; }
}
