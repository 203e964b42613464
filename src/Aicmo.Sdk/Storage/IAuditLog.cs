using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>The audit trail: every state change of every lead, readable per lead in order.</summary>
/// <remarks>
/// A lead's trail holds one event per <see cref="AuditEvent.Sequence"/>: an event appended for a sequence already stored replaces
/// that event (the last appended wins), so a step repeated after a crash never leaves two copies of a sequence.
/// </remarks>
public interface IAuditLog
{
    /// <summary>Appends one event, replacing the lead's event with the same sequence if there is one.</summary>
    /// <param name="auditEvent">The event.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when the event is recorded.</returns>
    ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default);

    /// <summary>Appends several events, in order. The pipeline records the transitions of a batch of leads through this method.</summary>
    /// <remarks>
    /// The default implementation calls <see cref="AppendAsync"/> for each event. A store that can write several rows in one round
    /// trip or one transaction should override it.
    /// </remarks>
    /// <param name="auditEvents">The events.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when the events are recorded.</returns>
    async ValueTask AppendManyAsync(ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < auditEvents.Length; i++)
        {
            await AppendAsync(auditEvents.Span[i], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a lead's trail, ordered by <see cref="AuditEvent.Sequence"/>.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The events.</returns>
    ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(Guid leadId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the reason of every event of a lead (the free text that may carry personal data), keeping the transitions, except
    /// the records of erasures (events of stage <see cref="LeadEraser.Stage"/>): their reasons hold no personal data, and an
    /// erasure that redacts the trail after storing its record keeps that record as written.
    /// </summary>
    /// <remarks>The default implementation throws <see cref="NotSupportedException"/>: a store that keeps personal data must implement it.</remarks>
    /// <param name="leadId">The lead.</param>
    /// <param name="reason">The text that replaces each reason.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>How many events were changed.</returns>
    ValueTask<int> RedactAsync(Guid leadId, string reason, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not support erasure.");

    /// <summary>
    /// Deletes old events of closed trails, for campaigns that run for months: every event recorded before
    /// <paramref name="olderThan"/> of a lead whose latest event moved it into one of <paramref name="states"/>, except that latest
    /// event. A trail always keeps its last event (the lead's current state and when it was reached), and a lead still moving
    /// keeps its whole trail. Sequence numbers are not reused: a lead that moves on later continues after its last event.
    /// </summary>
    /// <remarks>
    /// Nothing calls it on its own: a host calls <see cref="AuditRetention.PruneAsync"/> (which applies
    /// <see cref="AuditRetentionOptions"/>) from a daily job. The built-in stores delete in chunks, so a large prune does not
    /// hold the database's write lock for long. The default implementation throws <see cref="NotSupportedException"/>.
    /// </remarks>
    /// <param name="olderThan">Events recorded before this instant may go.</param>
    /// <param name="states">The states that close a trail (for example <see cref="LeadStatus.Converted"/>).</param>
    /// <param name="cancellationToken">A token to cancel the operation (between chunks).</param>
    /// <returns>How many events were deleted.</returns>
    ValueTask<long> PruneAsync(DateTimeOffset olderThan, IReadOnlyCollection<LeadStatus> states, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not support pruning.");
}
