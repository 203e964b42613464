namespace Aicmo.Sdk.Storage;

/// <summary>
/// One limit checked by <see cref="ILimitCounters.TryTakeAsync"/>: at most <paramref name="Max"/> slots of
/// <paramref name="Key"/> in any rolling <paramref name="Window"/>.
/// </summary>
/// <param name="Key">
/// What is counted, for example <c>nurture/mailbox/sales@example.com</c> or <c>routing/enterprise/alice</c>; compared exactly
/// (ordinal), not empty, at most <see cref="ILimitCounters.MaxKeyLength"/> characters.
/// </param>
/// <param name="Max">The most slots in a window; at least 1 (leave out a limit that does not apply).</param>
/// <param name="Window">The rolling window: a slot taken at <c>t</c> counts until <c>t + Window</c>.</param>
public readonly record struct RollingLimit(string Key, int Max, TimeSpan Window);
