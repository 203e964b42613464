namespace Aicmo.Sdk.Storage;

/// <summary>The answer of <see cref="ILimitCounters.TryTakeAsync"/>: a slot was taken in every limit, or in none.</summary>
/// <param name="Taken">Whether a slot was taken in every limit.</param>
/// <param name="Exceeded">
/// When not taken, the index of the limit that frees up last (the one <paramref name="RetryAt"/> waits for); -1 when taken.
/// </param>
/// <param name="RetryAt">When not taken, the earliest instant at which every limit has room again; when taken, the instant of the slot.</param>
public readonly record struct LimitOutcome(bool Taken, int Exceeded, DateTimeOffset RetryAt);
