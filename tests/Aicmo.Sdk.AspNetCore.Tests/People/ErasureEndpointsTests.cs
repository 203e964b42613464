using System.Net;
using Aicmo.Sdk.AspNetCore.Problems;
using Aicmo.Sdk.AspNetCore.Tests.Support;
using Aicmo.Sdk.Storage;
using PeopleData = Aicmo.Sdk.AspNetCore.Tests.Support.People;

namespace Aicmo.Sdk.AspNetCore.Tests.People;

public class ErasureEndpointsTests
{
    [Fact]
    public async Task AdminKey_ErasesThePersonInEveryCampaign_AndTheAddressStaysSuppressed()
    {
        await using var host = await PeopleData.StartAsync(pipeline: o => o.Erasure.SuppressionHashKey = "0123456789abcdef0123456789abcdef-web");
        var first = await PeopleData.SeedCampaignAsync(host);
        var second = await PeopleData.SeedCampaignAsync(host);
        using var admin = host.As(ApiHost.AdminKey);

        using var response = await admin.PostAsync("/api/v1/erasures", ApiHost.JsonBody("""{"email":" ADA.Lovelace@analytical.example ","reason":"ticket 4711"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiHost.ReadJsonAsync(response);
        Assert.Equal(2, body.GetProperty("leadsErased").GetInt32());
        Assert.StartsWith(Identity.EmailHash.KeyedPrefix, body.GetProperty("suppressedAs").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(PeopleData.Ada, body.GetRawText(), StringComparison.OrdinalIgnoreCase);
        var leads = host.Services.GetRequiredService<ILeadRepository>();
        foreach (var campaign in new[] { first, second })
        {
            Assert.Null(await leads.FindByIdentityAsync(campaign, "e:" + PeopleData.Ada));
            Assert.NotNull(await leads.FindByIdentityAsync(campaign, "e:" + PeopleData.Grace));
        }

        var suppressed = await host.Services.GetRequiredService<ISuppressionList>().FindAsync(PeopleData.Ada, host.Services.GetRequiredService<SuppressionHasher>());
        Assert.Equal(SuppressionReason.Erased, suppressed?.Reason);
    }

    [Fact]
    public async Task UnknownAddress_200WithNoLeads_AndTheAddressIsSuppressed()
    {
        await using var host = await ApiHost.StartAsync();
        using var admin = host.As(ApiHost.AdminKey);

        using var response = await admin.PostAsync("/api/v1/erasures", ApiHost.JsonBody("""{"email":"nobody@example.com"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (await ApiHost.ReadJsonAsync(response)).GetProperty("leadsErased").GetInt32());
        Assert.NotNull(await host.Services.GetRequiredService<ISuppressionList>().FindAsync("nobody@example.com", host.Services.GetRequiredService<SuppressionHasher>()));
    }

    [Theory]
    [InlineData(ApiHost.OperateKey)]
    [InlineData(ApiHost.ReadKey)]
    public async Task WithoutAdminScope_403AndNothingIsErased(string key)
    {
        await using var host = await PeopleData.StartAsync();
        var campaign = await PeopleData.SeedCampaignAsync(host);
        using var client = host.As(key);

        using var response = await client.PostAsync("/api/v1/erasures", ApiHost.JsonBody($$"""{"email":"{{PeopleData.Ada}}"}"""));

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.Forbidden, AicmoProblemTypes.Forbidden);
        Assert.Equal(PeopleData.Ada, (await PeopleData.LeadAsync(host, campaign, PeopleData.Ada)).Email, ignoreCase: true);
        Assert.Empty(await host.Services.GetRequiredService<ISuppressionList>().ListAsync());
    }

    public static TheoryData<string, string> HostileBodies => new()
    {
        { "{\"email\":\"" + PeopleData.Ada + "\\r\\nX: y\"}", "email" },
        { "{\"email\":\"" + PeopleData.Ada + "\\u2028\"}", "email" },
        { """{"email":""}""", "email" },
        { "{\"email\":\"" + PeopleData.Ada + "\",\"reason\":\"asked by " + PeopleData.Ada + "\"}", "reason" },
        { "{\"email\":\"" + PeopleData.Ada + "\",\"reason\":\"=cmd|' /C calc'!A0\"}", "reason" },
        { "{\"email\":\"" + PeopleData.Ada + "\",\"reason\":\"" + new string('r', 201) + "\"}", "reason" },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task HostileBody_400NamingTheFieldAndNothingIsErased(string json, string field)
    {
        await using var host = await PeopleData.StartAsync();
        var campaign = await PeopleData.SeedCampaignAsync(host);
        using var admin = host.As(ApiHost.AdminKey);

        using var response = await admin.PostAsync("/api/v1/erasures", ApiHost.JsonBody(json));

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, field);
        Assert.Equal(PeopleData.Ada, (await PeopleData.LeadAsync(host, campaign, PeopleData.Ada)).Email, ignoreCase: true);
        Assert.Empty(await host.Services.GetRequiredService<ISuppressionList>().ListAsync());
    }
}
