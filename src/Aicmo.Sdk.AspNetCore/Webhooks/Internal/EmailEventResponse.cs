namespace Aicmo.Sdk.AspNetCore.Webhooks.Internal;

/// <summary>What a batch of mail events did, event by event.</summary>
internal sealed record EmailEventResponse(int Received, int LeadsStopped, IReadOnlyList<EmailEventResult> Events);
