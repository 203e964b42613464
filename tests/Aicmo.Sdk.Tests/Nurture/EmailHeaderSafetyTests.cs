using Microsoft.Extensions.Time.Testing;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Tests.Nurture;

/// <summary>No character of categories Cc, Zl or Zp reaches a header, and no display name can be read as a second address.</summary>
public class EmailHeaderSafetyTests
{
    private static readonly StageContext Context = new(Guid.NewGuid(), "c", StageNames.Nurture, new FakeTimeProvider(), dryRun: false);

    private static Lead RoutedLead() => new()
    {
        Id = Guid.NewGuid(),
        CampaignId = "c",
        FirstName = "Ada",
        LastName = "Lovelace",
        Email = "ada@acme.com",
        Title = "CTO",
        CompanyName = "Acme",
        Status = LeadStatus.Routed,
        Routing = new RoutingDecision("growth", "sdr-1", "growth-intro", "growth", "score at or above 0.50"),
    };

    public static TheoryData<string, string> HostileFields => new()
    {
        { "FirstName", "Line\u2028Bcc: x@evil.example" },
        { "CompanyName", "Acme\u2029Bcc: x@evil.example" },
        { "FirstName", "Ada\u0085Bcc: x@evil.example" },
        { "FirstName", "Ada\tBcc" },
        { "LastName", "Lovelace\u2028Bcc: x@evil.example" },
    };

    [Theory]
    [MemberData(nameof(HostileFields))]
    public async Task NurtureAsync_LineOrParagraphSeparatorOrControlInAHeaderField_NothingIsSent(string field, string value)
    {
        var sender = new RecordingEmailSender();
        var outbox = new InMemoryEmailOutbox();
        var options = new EmailNurturerOptions { SubjectTemplate = "{{FirstName}} at {{CompanyName}}, {{Title}}" };
        var nurturer = new EmailNurturer(options, outbox, new InMemorySuppressionList(), sender);
        var lead = RoutedLead();
        typeof(Lead).GetProperty(field)!.SetValue(lead, value);

        var state = await nurturer.NurtureAsync(lead, Context, CancellationToken.None);

        Assert.Equal(NurtureOutcome.Rejected, state.Outcome);
        Assert.Equal(0, sender.Count);
        Assert.Empty(await outbox.ListAsync());
    }

    [Theory]
    [InlineData("Lovelace, Ada")]
    [InlineData("Ada <x@evil.example>")]
    [InlineData("\"Ada\" x@evil.example")]
    public async Task NurtureAsync_RecipientNameThatReadsAsAnAddressList_IsSentToTheBareAddress(string lastName)
    {
        var sender = new RecordingEmailSender();
        var nurturer = new EmailNurturer(new EmailNurturerOptions(), new InMemoryEmailOutbox(), new InMemorySuppressionList(), sender);
        var lead = RoutedLead();
        lead.LastName = lastName;

        await nurturer.NurtureAsync(lead, Context, CancellationToken.None);

        var message = Assert.Single(sender.Sent);
        Assert.Null(message.ToName);
        Assert.Equal("ada@acme.com", message.To);
    }

    [Theory]
    [InlineData("Sales\u2028Bcc: x@evil.example")]
    [InlineData("Sales\u2029Team")]
    [InlineData("Sales\u0085Team")]
    [InlineData("Sales, Inc")]
    [InlineData("Sales <a@b.c>")]
    public void Validate_FromNameThatIsNotASafeDisplayName_FailsNamingTheOption(string fromName)
    {
        var failures = new EmailNurturerOptions { FromName = fromName }.Validate("AicmoPipelineOptions.Nurture");

        Assert.Contains(failures, f => f.StartsWith("AicmoPipelineOptions.Nurture.FromName", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData('\u2028', true)]
    [InlineData('\u2029', true)]
    [InlineData('\u0085', true)]
    [InlineData('\0', true)]
    [InlineData('\t', true)]
    [InlineData('\u00A0', false)]
    [InlineData('é', false)]
    public void IndexOfHeaderBreak_CategoriesCcZlZp_AreFound(char c, bool found)
    {
        Assert.Equal(found ? 3 : -1, TextPolicy.IndexOfHeaderBreak("abc" + c + "def"));
    }
}
