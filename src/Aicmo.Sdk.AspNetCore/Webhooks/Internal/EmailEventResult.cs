namespace Aicmo.Sdk.AspNetCore.Webhooks.Internal;

/// <summary>
/// What one mail event did: the leads whose sequences stopped, whether the address is now suppressed, and whether the event was
/// a replay of one already applied (by its id), which changes nothing.
/// </summary>
internal sealed record EmailEventResult(int Index, string? Id, string Type, int LeadsStopped, bool Suppressed, bool Replayed = false);
