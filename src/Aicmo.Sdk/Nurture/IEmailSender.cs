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
