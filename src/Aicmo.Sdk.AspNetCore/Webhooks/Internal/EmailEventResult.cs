namespace Aicmo.Sdk.AspNetCore.Webhooks.Internal;

/// <summary>What one mail event did: the leads whose sequences stopped, and whether the address is now suppressed.</summary>
internal sealed record EmailEventResult(int Index, string? Id, string Type, int LeadsStopped, bool Suppressed);
