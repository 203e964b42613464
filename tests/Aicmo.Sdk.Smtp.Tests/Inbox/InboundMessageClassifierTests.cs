using Aicmo.Sdk.Smtp.Inbox.Internal;
using Aicmo.Sdk.Smtp.Internal;
using Aicmo.Sdk.Smtp.Tests.Support;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Smtp.Tests.Inbox;

public sealed class InboundMessageClassifierTests
{
    private const string Domain = "mail.example.com";
    private static readonly Guid Lead = Guid.NewGuid();
    private static readonly string OurId = MessageIds.For(new OutboxKey(Lead, "welcome", 2), Domain);

    [Fact]
    public void DeliveryStatusReportWithActionFailed_IsABounceForTheLeadOfTheReturnedMessage()
    {
        var inbound = InboundMessageClassifier.Classify(SampleMessages.Parse(SampleMessages.Bounce(OurId)), Domain);

        Assert.Equal(new InboundMessage(InboundKind.Bounce, Lead), inbound);
    }

    [Fact]
    public void DeliveryStatusReportWithActionDelayed_IsOnlyAReport()
    {
        var inbound = InboundMessageClassifier.Classify(SampleMessages.Parse(SampleMessages.Bounce(OurId, action: "delayed", status: "4.4.1")), Domain);

        Assert.Equal(new InboundMessage(InboundKind.DeliveryReport, Lead), inbound);
    }

    [Fact]
    public void DeliveryStatusReportForAnotherDomain_IsUnmatched()
    {
        var inbound = InboundMessageClassifier.Classify(SampleMessages.Parse(SampleMessages.Bounce(OurId.Replace(Domain, "other.example", StringComparison.Ordinal))), Domain);

        Assert.Equal(InboundKind.Unmatched, inbound.Kind);
    }

    [Fact]
    public void PlainTextBounceFromTheMailerDaemon_IsABounce()
    {
        var inbound = InboundMessageClassifier.Classify(SampleMessages.Parse(SampleMessages.PlainBounce(OurId)), Domain);

        Assert.Equal(new InboundMessage(InboundKind.Bounce, Lead), inbound);
    }

    [Fact]
    public void ReplyInOurThread_IsAReplyForTheLead()
    {
        var inbound = InboundMessageClassifier.Classify(SampleMessages.Parse(SampleMessages.Reply(OurId, earlierMessageId: "someone-else@example.net")), Domain);

        Assert.Equal(new InboundMessage(InboundKind.Reply, Lead), inbound);
    }

    [Theory]
    [InlineData("Auto-Submitted: auto-replied", "Re: Hello Ada")]
    [InlineData("X-Autoreply: yes", "Re: Hello Ada")]
    [InlineData("Precedence: auto_reply", "Re: Hello Ada")]
    [InlineData(null, "Out of Office: Hello Ada")]
    [InlineData(null, "Automatische Antwort: Hello Ada")]
    public void AutomaticAnswer_IsAnAutoReplyWithItsText(string? header, string subject)
    {
        var inbound = InboundMessageClassifier.Classify(SampleMessages.Parse(SampleMessages.OutOfOffice(OurId, "Back on 14 December.", header, subject)), Domain);

        Assert.Equal(InboundKind.AutoReply, inbound.Kind);
        Assert.Equal(Lead, inbound.LeadId);
        Assert.Contains("Back on 14 December.", inbound.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Re: Hello Ada")]
    [InlineData("Re: Out of office policy")]
    [InlineData("RE: Our vacation plans")]
    public void PersonsAnswerWhoseSubjectMentionsAnAbsence_IsAReply(string subject)
    {
        var inbound = InboundMessageClassifier.Classify(SampleMessages.Parse(SampleMessages.OutOfOffice(OurId, "Sounds good, let's talk on Monday.", autoHeader: null, subject)), Domain);

        Assert.Equal(new InboundMessage(InboundKind.Reply, Lead), inbound);
    }

    [Fact]
    public void AutoSubmittedNo_IsAPersonsReply()
    {
        var inbound = InboundMessageClassifier.Classify(SampleMessages.Parse(SampleMessages.OutOfOffice(OurId, "Sure, let's talk.", "Auto-Submitted: no", "Re: Hello Ada")), Domain);

        Assert.Equal(InboundKind.Reply, inbound.Kind);
    }

    [Fact]
    public void MessageOutsideOurThreads_IsUnmatched()
    {
        var inbound = InboundMessageClassifier.Classify(SampleMessages.Parse(SampleMessages.Unrelated()), Domain);

        Assert.Equal(new InboundMessage(InboundKind.Unmatched, null), inbound);
    }
}
