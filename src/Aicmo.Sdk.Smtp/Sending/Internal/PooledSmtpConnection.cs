using MailKit.Net.Smtp;

namespace Aicmo.Sdk.Smtp.Sending.Internal;

/// <summary>One open, authenticated SMTP connection and how much it has been used.</summary>
internal sealed class PooledSmtpConnection(SmtpClient client, long openedAt) : IDisposable
{
    public SmtpClient Client { get; } = client;

    public long OpenedAt { get; } = openedAt;

    /// <summary>Gets or sets the timestamp (from the pool's <see cref="TimeProvider"/>) of the connection's last use.</summary>
    public long LastUsedAt { get; set; } = openedAt;

    public int MessagesSent { get; set; }

    public void Dispose() => Client.Dispose();
}
