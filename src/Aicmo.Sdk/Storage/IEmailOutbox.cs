using System.Globalization;

namespace Aicmo.Sdk.Storage;

/// <summary>The transactional outbox every send goes through, keyed by (lead, sequence, step).</summary>
/// <remarks>Implementations must be thread-safe, and <see cref="ReserveAsync"/> must be atomic per key.</remarks>
public interface IEmailOutbox
{
    /// <summary>Reserves the key for a send, or returns the entry that already holds it.</summary>
    /// <param name="entry">The entry to add, normally in <see cref="OutboxStatus.Pending"/> or <see cref="OutboxStatus.DryRun"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>Whether the entry was created, and the stored entry.</returns>
    ValueTask<OutboxReservation> ReserveAsync(OutboxEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes over the claim on an existing entry, atomically: it succeeds only while the stored entry still has the
    /// <see cref="OutboxEntry.Status"/> and <see cref="OutboxEntry.ClaimOwner"/> of <paramref name="seen"/>, and is either
    /// <see cref="OutboxStatus.Failed"/>, <see cref="OutboxStatus.DryRun"/>, or <see cref="OutboxStatus.Pending"/> with a claim expired at <paramref name="now"/>
    /// (or none). The entry becomes <see cref="OutboxStatus.Pending"/> under the new claim.
    /// </summary>
    /// <param name="seen">The entry as the caller read it.</param>
    /// <param name="owner">The new claim's owner token, unique to this send attempt.</param>
    /// <param name="expiresAt">When the new claim expires.</param>
    /// <param name="now">The current time, against which the old claim's expiry is judged.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The entry under the new claim, or <see langword="null"/> when someone else holds or took the key (or it was sent).</returns>
    ValueTask<OutboxEntry?> TryReclaimAsync(OutboxEntry seen, string owner, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Gets the sequence of the oldest entry of a lead, so that a lead processed again keeps the sequence it was mailed in.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The sequence, or <see langword="null"/> when the outbox holds nothing for the lead.</returns>
    ValueTask<string?> FindSequenceAsync(Guid leadId, CancellationToken cancellationToken = default);

    /// <summary>Records that the transport accepted the email.</summary>
    /// <param name="key">The key.</param>
    /// <param name="providerMessageId">The transport's id, if any.</param>
    /// <param name="sentAt">When.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when recorded.</returns>
    ValueTask MarkSentAsync(OutboxKey key, string? providerMessageId, DateTimeOffset sentAt, CancellationToken cancellationToken = default);

    /// <summary>Records a failed attempt.</summary>
    /// <param name="key">The key.</param>
    /// <param name="error">What went wrong.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when recorded.</returns>
    ValueTask MarkFailedAsync(OutboxKey key, string error, CancellationToken cancellationToken = default);

    /// <summary>Gets an entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    ValueTask<OutboxEntry?> GetAsync(OutboxKey key, CancellationToken cancellationToken = default);

    /// <summary>Lists entries, optionally in one state, oldest first.</summary>
    /// <param name="status">The state, or <see langword="null"/> for all.</param>
    /// <param name="skip">How many to skip.</param>
    /// <param name="take">The page size.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>One page of entries.</returns>
    ValueTask<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus? status = null, int skip = 0, int take = 100, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the recipient, subject and error of every entry of a lead, keeping keys and states so no step is sent again.
    /// </summary>
    /// <remarks>The default implementation throws <see cref="NotSupportedException"/>: a store that keeps personal data must implement it.</remarks>
    /// <param name="leadId">The lead.</param>
    /// <param name="replacement">The text that replaces them.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>How many entries were changed.</returns>
    ValueTask<int> RedactAsync(Guid leadId, string replacement, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not support erasure.");
}
