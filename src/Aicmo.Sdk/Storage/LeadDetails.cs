using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>A lead with its audit trail.</summary>
/// <param name="Lead">The lead.</param>
/// <param name="Trail">Its state changes, in sequence order.</param>
public sealed record LeadDetails(Lead Lead, IReadOnlyList<AuditEvent> Trail);
