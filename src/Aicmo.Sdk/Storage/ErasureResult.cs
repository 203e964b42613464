namespace Aicmo.Sdk.Storage;

/// <summary>What an erasure did.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Found">Whether the lead existed.</param>
/// <param name="AuditEventsRedacted">How many audit events had their reason replaced.</param>
/// <param name="OutboxEntriesRedacted">How many outbox entries had their recipient and subject replaced.</param>
/// <param name="SuppressedAs">The hashed address kept in the suppression list, or <see langword="null"/> when the lead had none.</param>
public sealed record ErasureResult(Guid LeadId, bool Found, int AuditEventsRedacted, int OutboxEntriesRedacted, string? SuppressedAs);
