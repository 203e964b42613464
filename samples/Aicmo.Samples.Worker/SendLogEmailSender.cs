using System.Text;
using Aicmo.Sdk.Nurture;

namespace Aicmo.Samples.Worker;

/// <summary>
/// A mail transport for demos and tests: it sends nothing, and appends each accepted message's idempotency key to a file, one a
/// line, flushed to the operating system before it returns. A process killed right after a send keeps its line, so the keys of
/// several processes' files can be counted across crashes (a key on two lines is a message that would have gone out twice).
/// </summary>
internal sealed class SendLogEmailSender : IEmailSender, IDisposable
{
    private readonly Lock _gate = new();
    private readonly FileStream _log;
    private readonly TimeSpan _latency;

    public SendLogEmailSender(string path, TimeSpan latency)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _log = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        _latency = latency;
    }

    public async ValueTask<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_latency > TimeSpan.Zero)
        {
            await Task.Delay(_latency, cancellationToken);
        }

        var line = Encoding.UTF8.GetBytes(message.IdempotencyKey + "\n");
        lock (_gate)
        {
            _log.Write(line);
            _log.Flush();
        }

        return new EmailSendResult(null);
    }

    public void Dispose() => _log.Dispose();
}
