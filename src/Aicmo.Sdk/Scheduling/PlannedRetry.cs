namespace Aicmo.Sdk.Scheduling;

/// <summary>
/// A retry the scheduler planned after a failed attempt, kept in the job store so that a restart, or another host, still fires
/// it: attempt <see cref="Attempt"/> of the occurrence <see cref="ScheduledAt"/> of <see cref="ScheduleId"/>, due at <see cref="DueAt"/>.
/// </summary>
public sealed record PlannedRetry
{
    /// <summary>Gets the retry's id, unique in the store.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the schedule whose fire failed.</summary>
    public required string ScheduleId { get; init; }

    /// <summary>Gets the schedule's campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Gets the schedule's job kind.</summary>
    public required string JobKind { get; init; }

    /// <summary>Gets the occurrence being retried.</summary>
    public required DateTimeOffset ScheduledAt { get; init; }

    /// <summary>Gets the attempt the retry is (2 for the first retry).</summary>
    public required int Attempt { get; init; }

    /// <summary>Gets when the retry is due, by the store's clock.</summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>Gets the error of the attempt that failed, or <see langword="null"/>.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the host that planned it.</summary>
    public string? Host { get; init; }
}
