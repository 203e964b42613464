using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Smtp.Internal;
using MimeKit;

namespace Aicmo.Sdk.Smtp.Sending.Internal;

/// <summary>Turns an <see cref="EmailMessage"/> into the MIME message that goes on the wire.</summary>
internal static class MimeMessageFactory
{
    /// <summary>Builds the message, refusing hostile header values with a permanent <see cref="EmailDeliveryException"/>.</summary>
    /// <remarks>
    /// Display names go through MimeKit's <see cref="MailboxAddress"/>, which quotes (or RFC 2047-encodes) a name holding
    /// <c>"</c>, <c>,</c>, <c>&lt;</c> or <c>&gt;</c>, so a name cannot add a recipient or change an address.
    /// </remarks>
    public static MimeMessage Create(EmailMessage email, SmtpSenderOptions options, DateTimeOffset date)
    {
        HeaderValueGuard.CheckValue("From", email.FromAddress);
        HeaderValueGuard.CheckValue("From", email.FromName);
        HeaderValueGuard.CheckValue("To", email.To);
        HeaderValueGuard.CheckValue("To", email.ToName);
        HeaderValueGuard.CheckValue("Subject", email.Subject);

        var message = new MimeMessage
        {
            MessageId = MessageIds.For(email.Key, options.MessageIdDomain),
            Date = date,
            Subject = email.Subject,
        };
        message.From.Add(Mailbox("From", email.FromName, email.FromAddress));
        message.To.Add(Mailbox("To", email.ToName, email.To));
        if (options.ReplyTo is { } replyTo)
        {
            message.ReplyTo.Add(Mailbox("Reply-To", null, replyTo));
        }

        foreach (var (name, value) in email.Headers)
        {
            HeaderValueGuard.CheckExtraHeaderName(name);
            if (options.ReplyTo is not null && string.Equals(name, "Reply-To", StringComparison.OrdinalIgnoreCase))
            {
                throw new EmailDeliveryException(EmailDeliveryFailure.Permanent, "The Reply-To header is set by SmtpSenderOptions.ReplyTo and cannot also be given as an extra header; the email was not sent.");
            }

            HeaderValueGuard.CheckValue(name, value);
            message.Headers.Add(name, value);
        }

        message.Body = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = email.Body };
        return message;
    }

    private static MailboxAddress Mailbox(string header, string? name, string address)
    {
        try
        {
            return new MailboxAddress(string.IsNullOrEmpty(name) ? null : name, address);
        }
        catch (ParseException ex)
        {
            throw new EmailDeliveryException(EmailDeliveryFailure.Permanent, $"The {header} address is not a valid email address: {ex.Message}", ex);
        }
    }
}
