namespace Aicmo.Sdk.AspNetCore.People.Internal;

/// <summary>One lead an erasure reached.</summary>
internal sealed record ErasedLeadResponse(Guid LeadId, bool Found, int AuditEventsRedacted, int OutboxEntriesRedacted);
