using System.Collections.Concurrent;
using Aicmo.Sdk.Nurture;

namespace Aicmo.Sdk.Hosting.Tests.Support;

/// <summary>Accepts every email and records when, by the pipeline's clock, it was sent.</summary>
public sealed class ClockedEmailSender(TimeProvider timeProvider) : IEmailSender
{
    private readonly ConcurrentQueue<(DateTimeOffset At, EmailMessage Message)> _sent = new();

    public IReadOnlyList<(DateTimeOffset At, EmailMessage Message)> Sent => _sent.ToArray();

    public ValueTask<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        _sent.Enqueue((timeProvider.GetUtcNow(), message));
        return ValueTask.FromResult(new EmailSendResult("msg-" + message.IdempotencyKey));
    }
}
