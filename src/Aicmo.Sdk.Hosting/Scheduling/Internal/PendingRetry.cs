namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>A retry planned after a failed attempt: attempt <see cref="Attempt"/> of the occurrence <see cref="ScheduledAt"/>, due at <see cref="DueAt"/>.</summary>
internal sealed record PendingRetry(string ScheduleId, DateTimeOffset ScheduledAt, int Attempt, DateTimeOffset DueAt);
