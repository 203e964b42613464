using System.Globalization;

namespace Aicmo.Sdk.Storage;

/// <summary>Identifies one email of one lead's sequence; the outbox holds at most one entry per key.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Sequence">The nurture sequence.</param>
/// <param name="Step">The step in the sequence, from 1.</param>
public readonly record struct OutboxKey(Guid LeadId, string Sequence, int Step)
{
    /// <summary>Gets the key as the idempotency key handed to the mail provider: <c>{lead:N}/{sequence}/{step}</c>.</summary>
    public string IdempotencyKey => string.Create(CultureInfo.InvariantCulture, $"{LeadId:N}/{Sequence}/{Step}");

    /// <inheritdoc />
    public override string ToString() => IdempotencyKey;
}
