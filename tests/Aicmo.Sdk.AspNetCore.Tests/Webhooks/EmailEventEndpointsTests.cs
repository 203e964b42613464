using System.Net;
using System.Text;
using Aicmo.Sdk.AspNetCore.Problems;
using Aicmo.Sdk.AspNetCore.Tests.Support;
using Aicmo.Sdk.AspNetCore.Webhooks;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using PeopleData = Aicmo.Sdk.AspNetCore.Tests.Support.People;

namespace Aicmo.Sdk.AspNetCore.Tests.Webhooks;

public class EmailEventEndpointsTests
{
    private const string Secret = "webhook-secret-0123456789abcdef-0123";

    private static Task<ApiHost> StartAsync() => PeopleData.StartAsync(api: o => o.EmailEventsSecret = Secret);

    private static HttpRequestMessage Signed(string json, string secret = Secret, long? timestamp = null)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var at = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks/email-events") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(AicmoWebhookSignature.TimestampHeader, at.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(AicmoWebhookSignature.SignatureHeader, AicmoWebhookSignature.Compute(secret, at, body));
        return request;
    }

    [Fact]
    public async Task SignedBounceByAddress_BouncesTheLeadInEveryCampaignAndSuppressesTheAddress()
    {
        await using var host = await StartAsync();
        var first = await PeopleData.SeedCampaignAsync(host);
        var second = await PeopleData.SeedCampaignAsync(host);

        using var request = Signed($$"""{"events":[{"id":"evt-1","type":"bounce","email":"{{PeopleData.Ada}}"}]}""");
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiHost.ReadJsonAsync(response);
        Assert.Equal(2, body.GetProperty("leadsStopped").GetInt32());
        Assert.Equal("evt-1", body.GetProperty("events")[0].GetProperty("id").GetString());
        Assert.Equal(LeadStatus.Bounced, (await PeopleData.LeadAsync(host, first, PeopleData.Ada)).Status);
        Assert.Equal(LeadStatus.Bounced, (await PeopleData.LeadAsync(host, second, PeopleData.Ada)).Status);
        Assert.NotEqual(LeadStatus.Bounced, (await PeopleData.LeadAsync(host, first, PeopleData.Grace)).Status);
        Assert.Equal(SuppressionReason.Bounced, (await host.Services.GetRequiredService<ISuppressionList>().GetAsync(PeopleData.Ada))?.Reason);
    }

    [Fact]
    public async Task SignedReplyByLeadId_RepliedAndNotSuppressed_AndARepeatChangesNothing()
    {
        await using var host = await StartAsync();
        var campaign = await PeopleData.SeedCampaignAsync(host);
        var lead = await PeopleData.LeadAsync(host, campaign, PeopleData.Grace);
        var json = $$"""{"events":[{"type":"reply","leadId":"{{lead.Id}}","campaignId":"{{campaign}}"}]}""";

        using var first = Signed(json);
        using var response = await host.Client.SendAsync(first);
        var after = await PeopleData.LeadAsync(host, campaign, PeopleData.Grace);
        using var again = Signed(json);
        using var repeated = await host.Client.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LeadStatus.Replied, after.Status);
        Assert.Equal(NurtureOutcome.Stopped, after.Nurture?.Outcome);
        Assert.Null(await host.Services.GetRequiredService<ISuppressionList>().GetAsync(PeopleData.Grace));
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal(0, (await ApiHost.ReadJsonAsync(repeated)).GetProperty("leadsStopped").GetInt32());
        Assert.Equal(after.Version, (await PeopleData.LeadAsync(host, campaign, PeopleData.Grace)).Version);
    }

    [Fact]
    public async Task ComplaintForAnAddressNoLeadHolds_SuppressesIt()
    {
        await using var host = await StartAsync();

        using var request = Signed("""{"events":[{"type":"complaint","email":"stranger@example.com"}]}""");
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SuppressionReason.Complained, (await host.Services.GetRequiredService<ISuppressionList>().GetAsync("stranger@example.com"))?.Reason);
    }

    [Fact]
    public async Task SignedCallReplayedWithTheSameEventId_AcceptedAsReplayed_AndNotAppliedAgain()
    {
        await using var host = await StartAsync();
        var suppression = host.Services.GetRequiredService<ISuppressionList>();
        var at = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string Json = """{"events":[{"id":"evt-42","type":"complaint","email":"stranger@example.com"}]}""";
        using var first = Signed(Json, timestamp: at);
        using var delivered = await host.Client.SendAsync(first);
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.False((await ApiHost.ReadJsonAsync(delivered)).GetProperty("events")[0].GetProperty("replayed").GetBoolean());

        // An operator lifts the suppression; the same signed call, replayed inside the timestamp window, must not put it back.
        Assert.True(await suppression.RemoveAsync("stranger@example.com"));
        using var again = Signed(Json, timestamp: at);
        using var replayed = await host.Client.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        var result = (await ApiHost.ReadJsonAsync(replayed)).GetProperty("events")[0];
        Assert.True(result.GetProperty("replayed").GetBoolean());
        Assert.Equal("evt-42", result.GetProperty("id").GetString());
        Assert.False(result.GetProperty("suppressed").GetBoolean());
        Assert.Null(await suppression.GetAsync("stranger@example.com"));

        // Another event id for the same address is applied.
        using var other = Signed("""{"events":[{"id":"evt-43","type":"complaint","email":"stranger@example.com"}]}""");
        using var applied = await host.Client.SendAsync(other);
        Assert.False((await ApiHost.ReadJsonAsync(applied)).GetProperty("events")[0].GetProperty("replayed").GetBoolean());
        Assert.NotNull(await suppression.GetAsync("stranger@example.com"));
    }

    public static TheoryData<string> BadSignatures => new() { "wrong-secret", "tampered", "missing", "replayed", "future" };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task BadSignatureOrTimestamp_401AndNothingChanges(string how)
    {
        await using var host = await StartAsync();
        var campaign = await PeopleData.SeedCampaignAsync(host);
        var before = await PeopleData.LeadAsync(host, campaign, PeopleData.Ada);
        var json = $$"""{"events":[{"type":"unsubscribe","email":"{{PeopleData.Ada}}"}]}""";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = how switch
        {
            "wrong-secret" => Signed(json, secret: "another-secret-0123456789abcdef-0123"),
            "replayed" => Signed(json, timestamp: now - 600),
            "future" => Signed(json, timestamp: now + 600),
            _ => Signed(json),
        };
        if (how == "tampered")
        {
            request.Content = new StringContent(json.Replace("unsubscribe", "complaint", StringComparison.Ordinal), Encoding.UTF8, "application/json");
        }
        else if (how == "missing")
        {
            request.Headers.Remove(AicmoWebhookSignature.SignatureHeader);
        }

        using var response = await host.Client.SendAsync(request);

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.Unauthorized, AicmoProblemTypes.Unauthenticated);
        var after = await PeopleData.LeadAsync(host, campaign, PeopleData.Ada);
        Assert.Equal((before.Status, before.Version), (after.Status, after.Version));
        Assert.Empty(await host.Services.GetRequiredService<ISuppressionList>().ListAsync());
    }

    [Fact]
    public async Task OneInvalidEvent_400NamingItAndNoEventIsApplied()
    {
        await using var host = await StartAsync();
        var campaign = await PeopleData.SeedCampaignAsync(host);
        var before = await PeopleData.LeadAsync(host, campaign, PeopleData.Ada);

        using var request = Signed($$"""{"events":[{"type":"bounce","email":"{{PeopleData.Ada}}"},{"type":"opened","email":"x@example.com"},{"type":"reply","email":"a@b.c\u2028"}]}""");
        using var response = await host.Client.SendAsync(request);

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, "events[1].type");
        Assert.Equal(before.Status, (await PeopleData.LeadAsync(host, campaign, PeopleData.Ada)).Status);
        Assert.Empty(await host.Services.GetRequiredService<ISuppressionList>().ListAsync());
    }

    [Fact]
    public async Task HugeBody_413BeforeAnythingIsRead()
    {
        await using var host = await StartAsync();

        using var request = Signed("{\"events\":[],\"x\":\"" + new string('x', 200_000) + "\"}");
        using var response = await host.Client.SendAsync(request);

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, AicmoProblemTypes.PayloadTooLarge);
    }

    [Fact]
    public async Task WithoutASecretConfigured_404AndNothingChanges()
    {
        await using var host = await ApiHost.StartAsync();

        using var request = Signed("""{"events":[{"type":"complaint","email":"stranger@example.com"}]}""");
        using var response = await host.Client.SendAsync(request);

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.NotFound, AicmoProblemTypes.NotFound);
        Assert.Empty(await host.Services.GetRequiredService<ISuppressionList>().ListAsync());
    }

    [Fact]
    public async Task ShortSecret_HostFailsToStartNamingTheOption()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => ApiHost.StartAsync(o => o.EmailEventsSecret = "short"));

        Assert.Contains("EmailEventsSecret", failure.Message, StringComparison.Ordinal);
    }
}
