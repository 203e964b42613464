using System.Globalization;
using System.Net.Sockets;
using Aicmo.Sdk.Nurture;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Aicmo.Sdk.Smtp.Sending.Internal;

/// <summary>Translates what MailKit threw into the core's <see cref="EmailDeliveryException"/>.</summary>
internal static class SmtpFailures
{
    /// <summary>
    /// Returns the delivery failure for an exception, or <see langword="null"/> when it is not a transport failure (it then
    /// propagates as is). A 4xx reply is transient, a 5xx reply permanent, a 5xx reply to RCPT a rejected recipient; a lost
    /// connection or a timeout is transient.
    /// </summary>
    public static EmailDeliveryException? Translate(Exception exception) => exception switch
    {
        SmtpCommandException command => FromReply(command),
        AuthenticationException auth => new EmailDeliveryException(EmailDeliveryFailure.Permanent, "The SMTP server refused the credentials: " + auth.Message, auth),
        SslHandshakeException tls => new EmailDeliveryException(EmailDeliveryFailure.Permanent, "The TLS handshake with the SMTP server failed: " + tls.Message, tls),
        SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException or TimeoutException =>
            new EmailDeliveryException(EmailDeliveryFailure.Transient, "The connection to the SMTP server failed: " + exception.Message, exception),
        _ => null,
    };

    private static EmailDeliveryException FromReply(SmtpCommandException exception)
    {
        var code = (int)exception.StatusCode;
        var failure = code switch
        {
            >= 400 and < 500 => EmailDeliveryFailure.Transient,
            >= 500 when exception.ErrorCode == SmtpErrorCode.RecipientNotAccepted => EmailDeliveryFailure.RecipientRejected,
            _ => EmailDeliveryFailure.Permanent,
        };
        var stage = exception.ErrorCode switch
        {
            SmtpErrorCode.RecipientNotAccepted => " to RCPT TO " + exception.Mailbox?.Address,
            SmtpErrorCode.SenderNotAccepted => " to MAIL FROM " + exception.Mailbox?.Address,
            SmtpErrorCode.MessageNotAccepted => " to the message data",
            _ => string.Empty,
        };
        var text = string.Create(CultureInfo.InvariantCulture, $"The SMTP server replied {code}{stage}: {exception.Message}");
        return new EmailDeliveryException(failure, text, exception) { StatusCode = code };
    }
}
