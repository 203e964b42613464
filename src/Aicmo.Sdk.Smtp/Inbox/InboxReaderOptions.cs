using System.Net.Security;

namespace Aicmo.Sdk.Smtp.Inbox;

/// <summary>Settings of the IMAP inbox reader registered by <c>AddInboxReader</c>.</summary>
public sealed class InboxReaderOptions
{
    /// <summary>Gets or sets the IMAP server's host name.</summary>
    /// <value>Required.</value>
    public string Host { get; set; } = string.Empty;

    /// <summary>Gets or sets the server's port.</summary>
    /// <value>The default value is 993 (IMAP over implicit TLS).</value>
    public int Port { get; set; } = 993;

    /// <summary>Gets or sets how the connection is protected.</summary>
    /// <value>The default value is <see cref="MailConnectionSecurity.ImplicitTls"/>.</value>
    public MailConnectionSecurity Security { get; set; } = MailConnectionSecurity.ImplicitTls;

    /// <summary>Gets or sets the mailbox's user name.</summary>
    /// <value>Required.</value>
    public string UserName { get; set; } = string.Empty;

    /// <summary>Gets or sets the mailbox's password.</summary>
    /// <value>Required.</value>
    public string Password { get; set; } = string.Empty;

    /// <summary>Gets or sets the folder that receives replies and bounces (the Return-Path and Reply-To of the nurture emails).</summary>
    /// <value>The default value is <c>INBOX</c>.</value>
    public string Folder { get; set; } = "INBOX";

    /// <summary>
    /// Gets or sets a folder that the messages the reader acted on (bounces, replies, out-of-office answers to our emails) are moved
    /// to, or <see langword="null"/> to leave them where they are. It is created when missing.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ProcessedFolder { get; set; }

    /// <summary>
    /// Gets or sets the IMAP keyword set on every message the reader has read, so each is read once; messages carrying it are
    /// skipped. The folder must allow keywords (most servers do).
    /// </summary>
    /// <value>The default value is <c>$AicmoProcessed</c>.</value>
    public string ProcessedKeyword { get; set; } = "$AicmoProcessed";

    /// <summary>
    /// Gets or sets the domain of the Message-IDs the SMTP sender gives our emails (<see cref="Sending.SmtpSenderOptions.MessageIdDomain"/>):
    /// replies and bounces are matched to leads through it.
    /// </summary>
    /// <value>Required.</value>
    public string MessageIdDomain { get; set; } = string.Empty;

    /// <summary>Gets or sets how long a lead's sequence pauses after an out-of-office reply that states no return date.</summary>
    /// <value>The default value is 7 days.</value>
    public TimeSpan DefaultOutOfOfficePause { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Gets or sets the longest pause an out-of-office reply can cause; a return date further away is not believed.</summary>
    /// <value>The default value is 90 days.</value>
    public TimeSpan MaxOutOfOfficePause { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Gets or sets how many messages one pass reads at most; the rest wait for the next pass.</summary>
    /// <value>The default value is 200.</value>
    public int BatchSize { get; set; } = 200;

    /// <summary>Gets or sets whether a hosted service reads the inbox every <see cref="PollInterval"/>; turn it off to call
    /// <see cref="InboxReader.ProcessInboxAsync"/> from a scheduler instead.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RunInBackground { get; set; } = true;

    /// <summary>Gets or sets the pause between two passes of the hosted service.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how long one network operation may take.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets whether the revocation of the server's certificate is checked.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CheckCertificateRevocation { get; set; } = true;

    /// <summary>Gets or sets a check of the server's certificate that replaces the platform's, or <see langword="null"/> for the platform's validation.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }
}
