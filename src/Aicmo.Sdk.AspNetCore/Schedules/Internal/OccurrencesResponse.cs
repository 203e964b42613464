namespace Aicmo.Sdk.AspNetCore.Schedules.Internal;

/// <summary>The next occurrences of a schedule's expression, in its time zone's offsets.</summary>
internal sealed record OccurrencesResponse(string ScheduleId, string TimeZone, bool Enabled, IReadOnlyList<DateTimeOffset> Occurrences);
