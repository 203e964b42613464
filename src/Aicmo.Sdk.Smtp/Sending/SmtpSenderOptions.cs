using System.Net.Security;

namespace Aicmo.Sdk.Smtp.Sending;

/// <summary>Settings of the SMTP transport registered by <c>UseSmtp</c>.</summary>
public sealed class SmtpSenderOptions
{
    /// <summary>Gets or sets the SMTP server's host name.</summary>
    /// <value>Required.</value>
    public string Host { get; set; } = string.Empty;

    /// <summary>Gets or sets the server's port.</summary>
    /// <value>The default value is 587 (submission with STARTTLS); implicit TLS usually listens on 465.</value>
    public int Port { get; set; } = 587;

    /// <summary>Gets or sets how connections are protected.</summary>
    /// <value>The default value is <see cref="MailConnectionSecurity.StartTls"/>.</value>
    public MailConnectionSecurity Security { get; set; } = MailConnectionSecurity.StartTls;

    /// <summary>Gets or sets the user name to authenticate with, or <see langword="null"/> for a relay that needs none.</summary>
    /// <value>The default value is <see langword="null"/>. When set, <see cref="Password"/> must be set too.</value>
    public string? UserName { get; set; }

    /// <summary>Gets or sets the password that goes with <see cref="UserName"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Password { get; set; }

    /// <summary>
    /// Gets or sets the domain of the <c>Message-ID</c> of every email: <c>{hash of the outbox key}.{lead id}@{domain}</c>. The
    /// inbox reader recognizes replies and bounces by it, so it must be the same in both.
    /// </summary>
    /// <value>Required; usually the sending domain, for example <c>mail.example.com</c>.</value>
    public string MessageIdDomain { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the envelope sender (SMTP <c>MAIL FROM</c>, which becomes the <c>Return-Path</c>) that bounces are sent to, or
    /// <see langword="null"/> to use each email's From address. Point it at the mailbox the inbox reader watches.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? EnvelopeFrom { get; set; }

    /// <summary>
    /// Gets or sets the <c>Reply-To</c> address of every email, or <see langword="null"/> to let replies go to the From address.
    /// Point it at the mailbox the inbox reader watches when the From address is not read by it.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ReplyTo { get; set; }

    /// <summary>
    /// Gets or sets how many connections are open to the server at most: at most this many emails are sent at once, and further
    /// sends wait for a free connection.
    /// </summary>
    /// <value>The default value is 4.</value>
    public int MaxConnections { get; set; } = 4;

    /// <summary>Gets or sets how many emails one connection carries before it is closed and a new one is opened.</summary>
    /// <value>The default value is 100 (many servers limit messages per connection).</value>
    public int MaxMessagesPerConnection { get; set; } = 100;

    /// <summary>Gets or sets how long an unused connection stays open in the pool.</summary>
    /// <value>The default value is 30 seconds (servers commonly drop idle clients after a minute or more).</value>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long one network operation (connect, a command, the message data) may take.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the name this client gives in EHLO, or <see langword="null"/> for MailKit's default (the machine's name).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? LocalDomain { get; set; }

    /// <summary>Gets or sets whether the revocation of the server's certificate is checked.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CheckCertificateRevocation { get; set; } = true;

    /// <summary>
    /// Gets or sets a check of the server's certificate that replaces the platform's (for example to trust one pinned
    /// self-signed certificate), or <see langword="null"/> for the platform's validation.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }
}
