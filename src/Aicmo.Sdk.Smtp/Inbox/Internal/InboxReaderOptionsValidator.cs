using Aicmo.Sdk.Smtp.Internal;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Smtp.Inbox.Internal;

/// <summary>Validates <see cref="InboxReaderOptions"/> at start-up; each message names the option.</summary>
internal sealed class InboxReaderOptionsValidator : IValidateOptions<InboxReaderOptions>
{
    public ValidateOptionsResult Validate(string? name, InboxReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            failures.Add("InboxReaderOptions.Host must be set to the IMAP server's host name.");
        }

        if (!MailOptionChecks.IsPort(options.Port))
        {
            failures.Add($"InboxReaderOptions.Port must be between 1 and 65535 (was {options.Port}).");
        }

        if (!Enum.IsDefined(options.Security))
        {
            failures.Add($"InboxReaderOptions.Security has an unknown value ({options.Security}).");
        }

        if (string.IsNullOrEmpty(options.UserName) || string.IsNullOrEmpty(options.Password))
        {
            failures.Add("InboxReaderOptions.UserName and InboxReaderOptions.Password must be set.");
        }

        if (string.IsNullOrWhiteSpace(options.Folder))
        {
            failures.Add("InboxReaderOptions.Folder must name a folder (for example INBOX).");
        }

        if (options.ProcessedFolder is { } processed && (string.IsNullOrWhiteSpace(processed) || string.Equals(processed, options.Folder, StringComparison.OrdinalIgnoreCase)))
        {
            failures.Add("InboxReaderOptions.ProcessedFolder must be null or name a folder other than InboxReaderOptions.Folder.");
        }

        if (string.IsNullOrEmpty(options.ProcessedKeyword) || options.ProcessedKeyword.Any(static c => c is <= ' ' or > '~' or '(' or ')' or '{' or '%' or '*' or '"' or '\\' or ']'))
        {
            failures.Add($"InboxReaderOptions.ProcessedKeyword must be an IMAP keyword atom such as $AicmoProcessed (was '{options.ProcessedKeyword}').");
        }

        if (!MailOptionChecks.IsDomain(options.MessageIdDomain))
        {
            failures.Add($"InboxReaderOptions.MessageIdDomain must be a domain name such as mail.example.com, the same as SmtpSenderOptions.MessageIdDomain (was '{options.MessageIdDomain}').");
        }

        if (options.DefaultOutOfOfficePause <= TimeSpan.Zero)
        {
            failures.Add($"InboxReaderOptions.DefaultOutOfOfficePause must be positive (was {options.DefaultOutOfOfficePause}).");
        }

        if (options.MaxOutOfOfficePause < options.DefaultOutOfOfficePause)
        {
            failures.Add($"InboxReaderOptions.MaxOutOfOfficePause ({options.MaxOutOfOfficePause}) must not be shorter than InboxReaderOptions.DefaultOutOfOfficePause ({options.DefaultOutOfOfficePause}).");
        }

        if (options.BatchSize < 1)
        {
            failures.Add($"InboxReaderOptions.BatchSize must be at least 1 (was {options.BatchSize}).");
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            failures.Add($"InboxReaderOptions.PollInterval must be positive (was {options.PollInterval}).");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout.TotalMilliseconds > int.MaxValue)
        {
            failures.Add($"InboxReaderOptions.Timeout must be positive and under 24 days (was {options.Timeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
