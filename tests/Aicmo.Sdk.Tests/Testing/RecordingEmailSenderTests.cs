using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Tests.Testing;

public class RecordingEmailSenderTests
{
    private static EmailMessage Message(Guid lead, int step) => new()
    {
        Key = new OutboxKey(lead, "intro", step),
        FromAddress = "a@b.co",
        To = "c@d.co",
        Subject = "s",
        Body = "b",
    };

    [Fact]
    public async Task SendAsync_CountsPerIdempotencyKeyAndFlagsDuplicates()
    {
        var sender = new RecordingEmailSender();
        var lead = Guid.NewGuid();

        var first = await sender.SendAsync(Message(lead, 1), CancellationToken.None);
        await sender.SendAsync(Message(lead, 2), CancellationToken.None);
        await sender.SendAsync(Message(lead, 1), CancellationToken.None);

        Assert.Equal(3, sender.Count);
        Assert.Equal(3, sender.Sent.Count);
        Assert.StartsWith("msg-", first.ProviderMessageId, StringComparison.Ordinal);
        Assert.Equal([new OutboxKey(lead, "intro", 1).IdempotencyKey], sender.DuplicateKeys);
    }

    [Fact]
    public async Task SendAsync_FailWith_ThrowsAndRecordsNothing()
    {
        var sender = new RecordingEmailSender { FailWith = _ => new IOException("smtp down") };
        await Assert.ThrowsAsync<IOException>(async () => await sender.SendAsync(Message(Guid.NewGuid(), 1), CancellationToken.None));
        Assert.Equal(0, sender.Count);
    }
}
