using System.Collections.Concurrent;
using Aicmo.Sdk.Nurture;

namespace Aicmo.Sdk.Hosting.Tests.Support;

/// <summary>Accepts every email, counting sends per idempotency key, and calls <see cref="OnSend"/> with the number sent so far.</summary>
public sealed class CancellingEmailSender : IEmailSender
{
    private readonly ConcurrentDictionary<string, int> _sends = new(StringComparer.Ordinal);
    private int _count;

    public Action<int>? OnSend { get; set; }

    public int Count => Volatile.Read(ref _count);

    public IReadOnlyList<string> DuplicateKeys => [.. _sends.Where(p => p.Value > 1).Select(p => p.Key)];

    public ValueTask<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        _sends.AddOrUpdate(message.IdempotencyKey, 1, static (_, n) => n + 1);
        OnSend?.Invoke(Interlocked.Increment(ref _count));
        return ValueTask.FromResult(new EmailSendResult("msg-" + message.IdempotencyKey));
    }
}
