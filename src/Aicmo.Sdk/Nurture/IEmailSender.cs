using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Nurture;

/// <summary>The host's mail transport (an ESP API, SMTP relay). Receives the outbox key as an idempotency key.</summary>
/// <remarks>
/// A transport that honours <see cref="EmailMessage.IdempotencyKey"/> closes the one window in which a crash could cause a
/// duplicate send (accepted by the provider, not yet recorded in the outbox). Implementations must be thread-safe.
/// </remarks>
public interface IEmailSender
{
    /// <summary>Sends one email.</summary>
    /// <param name="message">The email; header values are guaranteed free of CR, LF and NUL.</param>
    /// <param name="cancellationToken">A token to cancel the send.</param>
    /// <returns>The transport's id for the message.</returns>
    ValueTask<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>What the transport returned.</summary>
/// <param name="ProviderMessageId">The transport's id for the message, if it has one.</param>
public readonly record struct EmailSendResult(string? ProviderMessageId);

/// <summary>An email ready for the transport.</summary>
public sealed record EmailMessage
{
    /// <summary>Gets the outbox key of this send.</summary>
    public required OutboxKey Key { get; init; }

    /// <summary>Gets the key's string form, to pass to the provider as its idempotency key.</summary>
    public string IdempotencyKey => Key.IdempotencyKey;

    /// <summary>Gets the sender address.</summary>
    public required string FromAddress { get; init; }

    /// <summary>Gets the sender display name.</summary>
    public string? FromName { get; init; }

    /// <summary>Gets the recipient address.</summary>
    public required string To { get; init; }

    /// <summary>Gets the recipient display name.</summary>
    public string? ToName { get; init; }

    /// <summary>Gets the subject.</summary>
    public required string Subject { get; init; }

    /// <summary>Gets the plain-text body.</summary>
    public required string Body { get; init; }

    /// <summary>Gets extra headers, including <c>List-Unsubscribe</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
