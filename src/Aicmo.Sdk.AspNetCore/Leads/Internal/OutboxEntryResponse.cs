using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.AspNetCore.Leads.Internal;

/// <summary>One email of a lead in the outbox: its key (sequence and step), state, recipient, subject, attempts and outcome.</summary>
internal sealed record OutboxEntryResponse(
    string Sequence, int Step, string IdempotencyKey, string Status, string To, string Subject, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string? ProviderMessageId, string? Error)
{
    public static OutboxEntryResponse From(OutboxEntry e) => new(
        e.Key.Sequence, e.Key.Step, e.Key.IdempotencyKey, e.Status.ToString(), e.To, e.Subject, e.Attempts, e.CreatedAt, e.SentAt, e.ProviderMessageId, e.Error);
}
