using Aicmo.Sdk.Smtp.Internal;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Aicmo.Sdk.Smtp.Sending.Internal;

/// <summary>Validates <see cref="SmtpSenderOptions"/> at start-up; each message names the option.</summary>
internal sealed class SmtpSenderOptionsValidator : IValidateOptions<SmtpSenderOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpSenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            failures.Add("SmtpSenderOptions.Host must be set to the SMTP server's host name.");
        }

        if (!MailOptionChecks.IsPort(options.Port))
        {
            failures.Add($"SmtpSenderOptions.Port must be between 1 and 65535 (was {options.Port}).");
        }

        if (!Enum.IsDefined(options.Security))
        {
            failures.Add($"SmtpSenderOptions.Security has an unknown value ({options.Security}).");
        }

        if (!MailOptionChecks.IsDomain(options.MessageIdDomain))
        {
            failures.Add($"SmtpSenderOptions.MessageIdDomain must be a domain name such as mail.example.com (was '{options.MessageIdDomain}').");
        }

        if (string.IsNullOrEmpty(options.UserName) != string.IsNullOrEmpty(options.Password))
        {
            failures.Add("SmtpSenderOptions.UserName and SmtpSenderOptions.Password must be set together (or neither, for a relay without authentication).");
        }

        if (options.EnvelopeFrom is { } envelopeFrom && !IsAddress(envelopeFrom))
        {
            failures.Add($"SmtpSenderOptions.EnvelopeFrom must be null or an email address (was '{envelopeFrom}').");
        }

        if (options.ReplyTo is { } replyTo && !IsAddress(replyTo))
        {
            failures.Add($"SmtpSenderOptions.ReplyTo must be null or an email address (was '{replyTo}').");
        }

        if (options.MaxConnections < 1)
        {
            failures.Add($"SmtpSenderOptions.MaxConnections must be at least 1 (was {options.MaxConnections}).");
        }

        if (options.MaxMessagesPerConnection < 1)
        {
            failures.Add($"SmtpSenderOptions.MaxMessagesPerConnection must be at least 1 (was {options.MaxMessagesPerConnection}).");
        }

        if (options.IdleTimeout <= TimeSpan.Zero)
        {
            failures.Add($"SmtpSenderOptions.IdleTimeout must be positive (was {options.IdleTimeout}).");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout.TotalMilliseconds > int.MaxValue)
        {
            failures.Add($"SmtpSenderOptions.Timeout must be positive and under 24 days (was {options.Timeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsAddress(string value) =>
        !value.Any(HeaderValueGuard.IsRefused) && MailboxAddress.TryParse(value, out var mailbox) && string.IsNullOrEmpty(mailbox.Name) && mailbox.Address.Contains('@', StringComparison.Ordinal);
}
