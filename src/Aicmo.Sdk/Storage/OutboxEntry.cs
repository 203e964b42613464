using System.Globalization;

namespace Aicmo.Sdk.Storage;

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
