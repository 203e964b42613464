using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Tests.Nurture;

public class EmailNurturerTests
{
    private static readonly StageContext Context = new(Guid.NewGuid(), "c", StageNames.Nurture, new FakeTimeProvider(new DateTimeOffset(2025, 1, 6, 9, 0, 0, TimeSpan.Zero)), dryRun: false);

    private static Lead RoutedLead() => new()
    {
        Id = Guid.NewGuid(),
        CampaignId = "c",
        FirstName = "Ada",
        Email = "Ada@Acme.com",
        CompanyName = "Acme",
        Status = LeadStatus.Routed,
        Routing = new RoutingDecision("growth", "sdr-1", "growth-intro", "growth", "score at or above 0.50"),
    };

    [Fact]
    public async Task NurtureAsync_RunTwiceForOneLead_SendsOnce()
    {
        var sender = new RecordingEmailSender();
        var outbox = new InMemoryEmailOutbox();
        var nurturer = new EmailNurturer(new EmailNurturerOptions(), outbox, new InMemorySuppressionList(), sender);
        var lead = RoutedLead();

        var first = await nurturer.NurtureAsync(lead, Context, CancellationToken.None);
        var second = await nurturer.NurtureAsync(lead, Context, CancellationToken.None);

        Assert.Equal(NurtureOutcome.Sent, first.Outcome);
        Assert.Equal(NurtureOutcome.AlreadySent, second.Outcome);
        Assert.Equal(1, sender.Count);
        var message = Assert.Single(sender.Sent);
        Assert.Equal("ada@acme.com", message.To);
        Assert.Equal("Ada, a quick question about Acme", message.Subject);
        Assert.Contains("sdr-1", message.Body, StringComparison.Ordinal);
        // The default unsubscribe link carries a signed token, never the guessable lead id.
        Assert.Contains("/unsubscribe?token=", message.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(lead.Id.ToString("N"), message.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(new OutboxKey(lead.Id, "growth-intro", 1), message.Key);
    }

    [Fact]
    public async Task NurtureAsync_CarriageReturnInRecipientName_IsRejectedBeforeTheSender()
    {
        var sender = new RecordingEmailSender();
        var outbox = new InMemoryEmailOutbox();
        var nurturer = new EmailNurturer(new EmailNurturerOptions(), outbox, new InMemorySuppressionList(), sender);
        var lead = RoutedLead();
        lead.LastName = "Lovelace\r\nBcc: all@example.com";

        var state = await nurturer.NurtureAsync(lead, Context, CancellationToken.None);

        Assert.Equal(NurtureOutcome.Rejected, state.Outcome);
        Assert.Contains("control character", state.Reason, StringComparison.Ordinal);
        Assert.Equal(0, sender.Count);
        Assert.Empty(await outbox.ListAsync());
    }

    [Fact]
    public async Task NurtureAsync_MissingFields_RenderFallbacks()
    {
        var sender = new RecordingEmailSender();
        var nurturer = new EmailNurturer(new EmailNurturerOptions(), new InMemoryEmailOutbox(), new InMemorySuppressionList(), sender);
        var lead = RoutedLead();
        lead.FirstName = null;
        lead.CompanyName = "  ";

        await nurturer.NurtureAsync(lead, Context, CancellationToken.None);

        Assert.Equal("there, a quick question about your company", Assert.Single(sender.Sent).Subject);
    }

    [Fact]
    public async Task Pipeline_SenderFailsTransientlyOnce_RetriesAndSendsExactlyOnce()
    {
        var failures = 0;
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", [TestPipeline.GoodCandidate(1)]));
        t.Sender.FailWith = _ => Interlocked.Increment(ref failures) == 1 ? new IOException("connection reset") : null;

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "flaky-mail" });

        Assert.Equal(1, result.Contacted);
        Assert.Equal(2, failures);
        Assert.Equal(1, t.Sender.Count);
        var entry = Assert.Single(await t.Outbox.ListAsync());
        Assert.Equal(OutboxStatus.Sent, entry.Status);
        Assert.Equal(2, entry.Attempts);
    }

    [Fact]
    public async Task Pipeline_SenderKeepsFailing_LeadQuarantinedAndOutboxShowsTheFailure()
    {
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", [TestPipeline.GoodCandidate(1)]), o => o.Retry.MaxRetryAttempts = 1);
        t.Sender.FailWith = _ => new InvalidOperationException("mailbox quota exceeded");

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "dead-mail" });

        Assert.Equal(1, result.Quarantined);
        var entry = Assert.Single(await t.Outbox.ListAsync(OutboxStatus.Failed));
        Assert.Contains("mailbox quota exceeded", entry.Error, StringComparison.Ordinal);
        Assert.Equal(0, t.Sender.Count);
    }
}
