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

/// <summary>The state of an outbox entry.</summary>
public enum OutboxStatus
{
    /// <summary>Reserved; the send has not been confirmed. After a crash, an entry left here is the one ambiguous case.</summary>
    Pending,

    /// <summary>The mail transport accepted the email.</summary>
    Sent,

    /// <summary>The last attempt failed; <see cref="OutboxEntry.Error"/> says why.</summary>
    Failed,

    /// <summary>Dry-run mode: rendered and recorded, never sent.</summary>
    DryRun,
}

/// <summary>One email in the outbox.</summary>
public sealed record OutboxEntry
{
    /// <summary>Gets the key.</summary>
    public required OutboxKey Key { get; init; }

    /// <summary>Gets the lead's campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Gets the recipient address.</summary>
    public required string To { get; init; }

    /// <summary>Gets the subject.</summary>
    public required string Subject { get; init; }

    /// <summary>Gets the status.</summary>
    public OutboxStatus Status { get; init; }

    /// <summary>Gets how many times sending was attempted.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets when the entry was reserved.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the transport accepted the email.</summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>Gets the transport's id for the message.</summary>
    public string? ProviderMessageId { get; init; }

    /// <summary>Gets the last error.</summary>
    public string? Error { get; init; }
}

/// <summary>The result of <see cref="IEmailOutbox.ReserveAsync"/>.</summary>
/// <param name="Created">Whether this call created the entry.</param>
/// <param name="Entry">The stored entry (the existing one when it was not created).</param>
public readonly record struct OutboxReservation(bool Created, OutboxEntry Entry);

/// <summary>The transactional outbox every send goes through, keyed by (lead, sequence, step).</summary>
/// <remarks>Implementations must be thread-safe, and <see cref="ReserveAsync"/> must be atomic per key.</remarks>
public interface IEmailOutbox
{
    /// <summary>Reserves the key for a send, or returns the entry that already holds it.</summary>
    /// <param name="entry">The entry to add, normally in <see cref="OutboxStatus.Pending"/> or <see cref="OutboxStatus.DryRun"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>Whether the entry was created, and the stored entry.</returns>
    ValueTask<OutboxReservation> ReserveAsync(OutboxEntry entry, CancellationToken cancellationToken = default);

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

/// <summary>Checks addresses against the suppression list in both forms it may hold them in.</summary>
public static class SuppressionListExtensions
{
    /// <summary>Finds the entry for an address, held as is or hashed after an erasure (<see cref="Identity.EmailHash"/>).</summary>
    /// <param name="suppression">The suppression list.</param>
    /// <param name="email">The address, in any case or spacing.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The entry, or <see langword="null"/> when the address may be mailed.</returns>
    public static async ValueTask<SuppressionEntry?> FindAsync(this ISuppressionList suppression, string email, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suppression);
        var hashed = Identity.EmailHash.Compute(email);
        if (hashed is null)
        {
            return null;
        }

        return await suppression.GetAsync(email, cancellationToken).ConfigureAwait(false)
            ?? await suppression.GetAsync(hashed, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Why an address is suppressed.</summary>
public enum SuppressionReason
{
    /// <summary>The person unsubscribed.</summary>
    Unsubscribed,

    /// <summary>Mail bounced.</summary>
    Bounced,

    /// <summary>The person complained (marked as spam).</summary>
    Complained,

    /// <summary>Added by hand.</summary>
    Manual,

    /// <summary>The person's data was erased on request; the address must never be mailed again.</summary>
    Erased,
}

/// <summary>One suppressed address.</summary>
/// <param name="Email">The normalized address.</param>
/// <param name="Reason">Why.</param>
/// <param name="At">When.</param>
public sealed record SuppressionEntry(string Email, SuppressionReason Reason, DateTimeOffset At);

/// <summary>Addresses that must not be mailed; checked at send time.</summary>
/// <remarks>Addresses are compared in their normalized form (<see cref="Identity.LeadIdentity.NormalizeEmail"/>).</remarks>
public interface ISuppressionList
{
    /// <summary>Adds or replaces an entry.</summary>
    /// <param name="entry">The entry; its address is normalized by the store.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when recorded.</returns>
    ValueTask AddAsync(SuppressionEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Gets the entry for an address.</summary>
    /// <param name="email">The address, in any case or spacing.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The entry, or <see langword="null"/> when the address may be mailed.</returns>
    ValueTask<SuppressionEntry?> GetAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>Removes an address (for example after a person subscribes again).</summary>
    /// <param name="email">The address.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when an entry was removed.</returns>
    ValueTask<bool> RemoveAsync(string email, CancellationToken cancellationToken = default);
}
