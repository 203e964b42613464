using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Smtp.Internal;
using Aicmo.Sdk.Smtp.Sending.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Aicmo.Sdk.Smtp.Sending;

/// <summary>
/// Sends nurture emails over SMTP with MailKit, through a pool of open connections that bounds how many sends run at once.
/// </summary>
/// <remarks>
/// <para>
/// Every email carries a <c>Message-ID</c> derived from its outbox key (<see cref="EmailMessage.IdempotencyKey"/>), so a step
/// sent again after a crash carries the same id and receivers can drop the duplicate; the inbox reader finds the lead of a reply
/// or a bounce by it. The extra headers of the message (<c>List-Unsubscribe</c>, <c>List-Unsubscribe-Post</c>) are passed through.
/// </para>
/// <para>
/// Failures are thrown as <see cref="EmailDeliveryException"/>: a 4xx reply or a lost connection is
/// <see cref="EmailDeliveryFailure.Transient"/>, a 5xx reply <see cref="EmailDeliveryFailure.Permanent"/> with the server's text,
/// and a 5xx reply to the recipient <see cref="EmailDeliveryFailure.RecipientRejected"/>. A header value holding a character of
/// Unicode categories Cc, Zl or Zp is refused before anything is sent.
/// </para>
/// </remarks>
public sealed class SmtpEmailSender : IEmailSender, IAsyncDisposable, IDisposable
{
    private readonly SmtpSenderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SmtpConnectionPool _pool;
    private readonly MailboxAddress? _envelopeFrom;

    /// <summary>Initializes a new instance of the <see cref="SmtpEmailSender"/> class.</summary>
    /// <param name="options">The settings, validated at start-up.</param>
    /// <param name="timeProvider">The clock (the <c>Date</c> header, idle connections).</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    public SmtpEmailSender(IOptions<SmtpSenderOptions> options, TimeProvider timeProvider, ILogger<SmtpEmailSender>? logger = null)
    {
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _pool = new SmtpConnectionPool(_options, _time, _logger);
        _envelopeFrom = _options.EnvelopeFrom is { } envelopeFrom ? MailboxAddress.Parse(envelopeFrom) : null;
    }

    /// <summary>Gets how many SMTP connections this sender has opened so far (a measure of how well the pool is reused).</summary>
    public int ConnectionsOpened => _pool.ConnectionsOpened;

    /// <inheritdoc />
    /// <returns>The email's <c>Message-ID</c> (without angle brackets) as the provider message id.</returns>
    /// <exception cref="EmailDeliveryException">The server refused the email, the connection failed, or a header value was hostile.</exception>
    public async ValueTask<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var mime = MimeMessageFactory.Create(message, _options, _time.GetUtcNow());

        PooledSmtpConnection connection;
        try
        {
            connection = await _pool.RentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (SmtpFailures.Translate(ex) is { } failure)
        {
            Log.SendFailed(_logger, message.IdempotencyKey, failure.Failure, failure.StatusCode, failure.Message);
            throw failure;
        }

        var healthy = false;
        try
        {
            if (_envelopeFrom is { } envelopeFrom)
            {
                await connection.Client.SendAsync(mime, envelopeFrom, mime.To.Mailboxes, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await connection.Client.SendAsync(mime, cancellationToken).ConfigureAwait(false);
            }

            connection.MessagesSent++;
            healthy = true;
            return new EmailSendResult(mime.MessageId);
        }
        catch (Exception ex) when (SmtpFailures.Translate(ex) is { } failure)
        {
            Log.SendFailed(_logger, message.IdempotencyKey, failure.Failure, failure.StatusCode, failure.Message);
            throw failure;
        }
        finally
        {
            // After any failure the connection's state is unknown (a reply may be half read): it is closed, never lent again.
            _pool.Return(connection, healthy);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _pool.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _pool.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
