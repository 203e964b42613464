using System.Buffers.Text;
using System.Net;
using Aicmo.Sdk.AspNetCore.Problems;
using Aicmo.Sdk.AspNetCore.Tests.Support;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using PeopleData = Aicmo.Sdk.AspNetCore.Tests.Support.People;

namespace Aicmo.Sdk.AspNetCore.Tests.Webhooks;

public class UnsubscribeEndpointsTests
{
    private const string Secret = "unsubscribe-secret-0123456789abcdef";

    private static Task<ApiHost> StartAsync() => PeopleData.StartAsync(pipeline: o =>
    {
        o.Nurture.UnsubscribeUrlTemplate = "https://mail.example.com/api/v1/unsubscribe?token={Token}";
        o.Nurture.UnsubscribeTokenSecret = Secret;
    });

    /// <summary>The link the nurture stage wrote in the List-Unsubscribe header of the email sent to <paramref name="email"/>.</summary>
    private static Uri LinkSentTo(ApiHost host, string email)
    {
        var sender = (RecordingEmailSender)host.Services.GetRequiredService<IEmailSender>();
        var message = sender.Sent.Last(m => m.To == email);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        return new Uri(message.Headers["List-Unsubscribe"].Trim('<', '>'));
    }

    [Fact]
    public async Task OneClickPost_OnTheLinkTheNurtureStageSent_UnsubscribesAndSuppresses()
    {
        await using var host = await StartAsync();
        var campaign = await PeopleData.SeedCampaignAsync(host);
        var link = LinkSentTo(host, PeopleData.Grace);
        Assert.DoesNotContain((await PeopleData.LeadAsync(host, campaign, PeopleData.Grace)).Id.ToString("N"), link.OriginalString, StringComparison.OrdinalIgnoreCase);

        using var response = await host.Client.PostAsync(link.PathAndQuery, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lead = await PeopleData.LeadAsync(host, campaign, PeopleData.Grace);
        Assert.Equal(LeadStatus.Unsubscribed, lead.Status);
        Assert.Equal(NurtureOutcome.Stopped, lead.Nurture?.Outcome);
        Assert.Equal(SuppressionReason.Unsubscribed, (await host.Services.GetRequiredService<ISuppressionList>().GetAsync(PeopleData.Grace))?.Reason);
        Assert.NotEqual(LeadStatus.Unsubscribed, (await PeopleData.LeadAsync(host, campaign, PeopleData.Ada)).Status);
    }

    [Fact]
    public async Task DefaultLink_WithNoTemplateOrSecretConfigured_CarriesASignedTokenNotTheLeadId_AndTheOneClickPostHonoursIt()
    {
        await using var host = await PeopleData.StartAsync();
        var campaign = await PeopleData.SeedCampaignAsync(host);
        var link = LinkSentTo(host, PeopleData.Grace);
        var lead = await PeopleData.LeadAsync(host, campaign, PeopleData.Grace);
        Assert.Equal("https://example.com/unsubscribe", link.GetLeftPart(UriPartial.Path));
        Assert.DoesNotContain(lead.Id.ToString("N"), link.OriginalString, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(lead.Id.ToString("D"), link.OriginalString, StringComparison.OrdinalIgnoreCase);

        using var response = await host.Client.PostAsync("/api/v1/unsubscribe" + link.Query, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LeadStatus.Unsubscribed, (await PeopleData.LeadAsync(host, campaign, PeopleData.Grace)).Status);
    }

    [Fact]
    public async Task Get_ShowsAPageThatPosts_AndChangesNothing()
    {
        await using var host = await StartAsync();
        var campaign = await PeopleData.SeedCampaignAsync(host);
        var before = await PeopleData.LeadAsync(host, campaign, PeopleData.Grace);
        var link = LinkSentTo(host, PeopleData.Grace);

        using var response = await host.Client.GetAsync(link.PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("method=\"post\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = await PeopleData.LeadAsync(host, campaign, PeopleData.Grace);
        Assert.Equal((before.Status, before.Version), (after.Status, after.Version));
        Assert.Empty(await host.Services.GetRequiredService<ISuppressionList>().ListAsync());
    }

    public static TheoryData<string> Forgeries => new() { "tampered", "other-secret", "bare-lead-id", "expired", "missing", "garbage" };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task ForgedTamperedOrExpiredToken_RefusedAndNothingChanges(string how)
    {
        await using var host = await StartAsync();
        var campaign = await PeopleData.SeedCampaignAsync(host);
        var lead = await PeopleData.LeadAsync(host, campaign, PeopleData.Grace);
        var genuine = System.Web.HttpUtility.ParseQueryString(LinkSentTo(host, PeopleData.Grace).Query)["token"]!;
        string? token = how switch
        {
            "tampered" => Tamper(genuine),
            "other-secret" => new UnsubscribeTokenSigner("someone-elses-secret-0123456789abcdef").Create(lead.Id, campaign, DateTimeOffset.UtcNow.AddDays(30)),
            "bare-lead-id" => lead.Id.ToString("N"),
            "expired" => new UnsubscribeTokenSigner(Secret).Create(lead.Id, campaign, DateTimeOffset.UtcNow.AddSeconds(-1)),
            "garbage" => "%0D%0ASet-Cookie:%20x=1",
            _ => null,
        };

        using var response = await host.Client.PostAsync("/api/v1/unsubscribe" + (token is null ? "" : "?token=" + (how == "garbage" ? token : Uri.EscapeDataString(token))), null);

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, "token");
        var after = await PeopleData.LeadAsync(host, campaign, PeopleData.Grace);
        Assert.Equal((lead.Status, lead.Version), (after.Status, after.Version));
        Assert.Empty(await host.Services.GetRequiredService<ISuppressionList>().ListAsync());
    }

    [Fact]
    public async Task GenuineTokenForAnotherCampaignsLead_404AndNothingChanges()
    {
        await using var host = await StartAsync();
        var campaign = await PeopleData.SeedCampaignAsync(host);
        var lead = await PeopleData.LeadAsync(host, campaign, PeopleData.Grace);
        var token = new UnsubscribeTokenSigner(Secret).Create(lead.Id, "another-campaign", DateTimeOffset.UtcNow.AddDays(30));

        using var response = await host.Client.PostAsync("/api/v1/unsubscribe?token=" + token, null);

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.NotFound, AicmoProblemTypes.NotFound);
        Assert.Equal(lead.Version, (await PeopleData.LeadAsync(host, campaign, PeopleData.Grace)).Version);
    }

    private static string Tamper(string token)
    {
        var bytes = Base64Url.DecodeFromChars(token);
        bytes[5] ^= 0x20;
        return Base64Url.EncodeToString(bytes);
    }
}
