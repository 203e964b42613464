using System.Collections.Concurrent;
using Aicmo.Sdk.Nurture;

namespace Aicmo.Sdk.Testing;

/// <summary>
/// An <see cref="IEmailSender"/> for tests and samples: records every email it accepts and counts sends per idempotency key,
/// so a test can assert that no step was sent twice. Can be told to fail.
/// </summary>
public sealed class RecordingEmailSender : IEmailSender
{
    private readonly ConcurrentQueue<EmailMessage> _sent = new();
    private readonly ConcurrentDictionary<string, int> _sendsPerKey = new(StringComparer.Ordinal);
    private long _count;
    private long _idSequence;

    /// <summary>Gets or sets whether message bodies are kept (turn off for very large runs; counts are always kept).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RetainMessages { get; set; } = true;

    /// <summary>Gets or sets a hook that may throw to simulate a transport failure for a message.</summary>
    public Func<EmailMessage, Exception?>? FailWith { get; set; }

    /// <summary>Gets or sets a delay applied to every send, to simulate a slow transport.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Gets the accepted messages, in the order accepted (empty when <see cref="RetainMessages"/> is off).</summary>
    public IReadOnlyCollection<EmailMessage> Sent => _sent;

    /// <summary>Gets how many emails were accepted.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Gets how many times each idempotency key was accepted. Any value above 1 is a duplicate send.</summary>
    public IReadOnlyDictionary<string, int> SendsPerKey => _sendsPerKey;

    /// <summary>Gets the idempotency keys that were accepted more than once.</summary>
    public IReadOnlyList<string> DuplicateKeys => _sendsPerKey.Where(p => p.Value > 1).Select(p => p.Key).ToArray();

    /// <inheritdoc />
    public async ValueTask<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (FailWith?.Invoke(message) is { } failure)
        {
            throw failure;
        }

        _sendsPerKey.AddOrUpdate(message.IdempotencyKey, 1, static (_, n) => n + 1);
        if (RetainMessages)
        {
            _sent.Enqueue(message);
        }

        Interlocked.Increment(ref _count);
        return new EmailSendResult("msg-" + Interlocked.Increment(ref _idSequence).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
