namespace Aicmo.Sdk.Nurture;

/// <summary>
/// Thrown by an <see cref="IEmailSender"/> when the transport refused a message, saying whether trying again may help.
/// </summary>
/// <remarks>
/// A <see cref="EmailDeliveryFailure.Transient"/> failure (for example an SMTP 4xx reply) is retried; a
/// <see cref="EmailDeliveryFailure.Permanent"/> one (an SMTP 5xx reply) fails the step with the server's text; a
/// <see cref="EmailDeliveryFailure.RecipientRejected"/> one also marks the lead bounced.
/// </remarks>
public sealed class EmailDeliveryException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="EmailDeliveryException"/> class.</summary>
    public EmailDeliveryException()
        : this(EmailDeliveryFailure.Permanent, "The email was not delivered.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EmailDeliveryException"/> class.</summary>
    /// <param name="message">What the transport said.</param>
    public EmailDeliveryException(string message)
        : this(EmailDeliveryFailure.Permanent, message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EmailDeliveryException"/> class.</summary>
    /// <param name="message">What the transport said.</param>
    /// <param name="innerException">The transport's own exception.</param>
    public EmailDeliveryException(string message, Exception? innerException)
        : this(EmailDeliveryFailure.Permanent, message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EmailDeliveryException"/> class.</summary>
    /// <param name="failure">What kind of failure it is.</param>
    /// <param name="message">What the transport said.</param>
    /// <param name="innerException">The transport's own exception, if any.</param>
    public EmailDeliveryException(EmailDeliveryFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>Gets what kind of failure it is.</summary>
    public EmailDeliveryFailure Failure { get; }

    /// <summary>Gets the transport's status code (for example the SMTP reply code), if it gave one.</summary>
    public int? StatusCode { get; init; }
}
