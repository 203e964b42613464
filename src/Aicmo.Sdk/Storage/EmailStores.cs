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
    /// <summary>
    /// Claimed for a send that has not been confirmed. While the claim is live (<see cref="OutboxEntry.ClaimExpiresAt"/>) nobody
    /// else sends the key; an entry left here by a process that died is the one ambiguous case: it is re-sent, with the same key,
    /// only after its claim has expired, and counted as a possible duplicate.
    /// </summary>
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

    /// <summary>
    /// Gets who holds the claim on the key while the entry is <see cref="OutboxStatus.Pending"/>: a token unique to one send
    /// attempt (it names the host and process for diagnostics), or <see langword="null"/>.
    /// </summary>
    public string? ClaimOwner { get; init; }

    /// <summary>
    /// Gets when the claim of a <see cref="OutboxStatus.Pending"/> entry expires, or <see langword="null"/> (an entry stored
    /// before claims existed, whose claim counts as expired). Until then nobody else sends the key.
    /// </summary>
    public DateTimeOffset? ClaimExpiresAt { get; init; }

    /// <summary>Gets whether the entry is <see cref="OutboxStatus.Pending"/> under a claim that has not expired at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="true"/> when someone holds a live claim on the key.</returns>
    public bool IsClaimLive(DateTimeOffset now) => Status == OutboxStatus.Pending && ClaimExpiresAt is { } expires && expires > now;
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

/// <summary>Checks addresses against the suppression list in both forms it may hold them in.</summary>
public static class SuppressionListExtensions
{
    /// <summary>Finds the entry for an address, held as is or hashed after an erasure (plain SHA-256; see the overload with a hasher).</summary>
    /// <param name="suppression">The suppression list.</param>
    /// <param name="email">The address, in any case or spacing.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The entry, or <see langword="null"/> when the address may be mailed.</returns>
    public static ValueTask<SuppressionEntry?> FindAsync(this ISuppressionList suppression, string email, CancellationToken cancellationToken = default) =>
        FindAsync(suppression, email, SuppressionHasher.Unkeyed, cancellationToken);

    /// <summary>Finds the entry for an address, held as is or in any hashed form an erasure may have stored it under.</summary>
    /// <param name="suppression">The suppression list.</param>
    /// <param name="email">The address, in any case or spacing.</param>
    /// <param name="hasher">The hashed forms to check (<see cref="ErasureOptions.SuppressionHashKey"/>).</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The entry, or <see langword="null"/> when the address may be mailed.</returns>
    public static async ValueTask<SuppressionEntry?> FindAsync(this ISuppressionList suppression, string email, SuppressionHasher hasher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suppression);
        ArgumentNullException.ThrowIfNull(hasher);
        if (Identity.LeadIdentity.NormalizeEmail(email) is null)
        {
            return null;
        }

        if (await suppression.GetAsync(email, cancellationToken).ConfigureAwait(false) is { } plain)
        {
            return plain;
        }

        foreach (var hashed in hasher.Candidates(email))
        {
            if (await suppression.GetAsync(hashed, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                return entry;
            }
        }

        return null;
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

    /// <summary>Lists entries one page at a time, in ordinal order of the stored address (or hashed form, for erased people).</summary>
    /// <remarks>The default implementation throws <see cref="NotSupportedException"/>.</remarks>
    /// <param name="after">The stored address to continue after, or <see langword="null"/> for the first page.</param>
    /// <param name="take">The page size, at least 1.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>Up to <paramref name="take"/> entries whose stored address sorts after <paramref name="after"/>.</returns>
    ValueTask<IReadOnlyList<SuppressionEntry>> ListAsync(string? after = null, int take = 100, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not support listing.");
}
