using System.Net;
using Aicmo.Sdk.AspNetCore.Problems;
using Aicmo.Sdk.AspNetCore.Tests.Support;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.AspNetCore.Tests.Campaigns;

/// <summary>Hostile requests get a 4xx problem naming the field, and nothing is stored or changed.</summary>
public class HostileCampaignRequestTests
{
    public static TheoryData<string, string> BadFields => new()
    {
        { """{"name":"line\r\nbreak"}""", "name" },
        { """{"name":"para\u2028graph"}""", "name" },
        { """{"name":"nul\u0000"}""", "name" },
        { """{"name":"=HYPERLINK(\"http://x\")"}""", "name" },
        { """{"name":"ok","targetNiche":"+cmd|' /C calc'!A0"}""", "targetNiche" },
        { """{"id":"x'; DROP TABLE aicmo_campaigns; --","name":"sql"}""", "id" },
        { """{"id":"../../etc/passwd","name":"traversal"}""", "id" },
        { """{"name":"   "}""", "name" },
        { """{"description":"no name"}""", "name" },
        { """{"name":"ok","targetClients":-1}""", "targetClients" },
        { """{"name":"ok","settings":{"maxLeadsPerRun":0}}""", "settings.maxLeadsPerRun" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Create_InvalidField_Returns400NamingItAndStoresNothing(string body, string field)
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);

        using var response = await client.PostAsync("/api/v1/campaigns", ApiHost.JsonBody(body));

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, field);
        Assert.Empty(await host.Services.GetRequiredService<ICampaignRepository>().ListAsync());
    }

    [Theory]
    [InlineData("""{"name":"ok","isAdmin":true}""")]
    [InlineData("""{"name":"ok",}""")]
    [InlineData("""{"name":""")]
    [InlineData("""{"name":42}""")]
    [InlineData("""[1,2,3]""")]
    public async Task Create_MalformedOrUnknownFields_Returns400AndStoresNothing(string body)
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);

        using var response = await client.PostAsync("/api/v1/campaigns", ApiHost.JsonBody(body));

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.BadRequest, AicmoProblemTypes.MalformedBody);
        Assert.Empty(await host.Services.GetRequiredService<ICampaignRepository>().ListAsync());
    }

    [Fact]
    public async Task Create_UnknownField_NamesIt()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);

        using var response = await client.PostAsync("/api/v1/campaigns", ApiHost.JsonBody("""{"name":"ok","isAdmin":true}"""));

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.BadRequest, AicmoProblemTypes.MalformedBody, "$.isAdmin");
    }

    [Fact]
    public async Task Create_OversizeBody_Returns413AndStoresNothing()
    {
        await using var host = await ApiHost.StartAsync(o => o.MaxRequestBodyBytes = 1024);
        using var client = host.As(ApiHost.OperateKey);
        var body = $$"""{"name":"big","description":"{{new string('a', 4096)}}"}""";

        using var response = await client.PostAsync("/api/v1/campaigns", ApiHost.JsonBody(body));

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, AicmoProblemTypes.PayloadTooLarge);
        Assert.Empty(await host.Services.GetRequiredService<ICampaignRepository>().ListAsync());
    }

    [Fact]
    public async Task Create_WrongContentType_Returns415()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);

        using var response = await client.PostAsync("/api/v1/campaigns", new StringContent("""{"name":"ok"}""", System.Text.Encoding.UTF8, "text/plain"));

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, AicmoProblemTypes.UnsupportedMediaType);
        Assert.Empty(await host.Services.GetRequiredService<ICampaignRepository>().ListAsync());
    }

    [Theory]
    [InlineData("/api/v1/campaigns?limit=100000", "limit")]
    [InlineData("/api/v1/campaigns?limit=-1", "limit")]
    [InlineData("/api/v1/campaigns?limit=abc", "limit")]
    [InlineData("/api/v1/campaigns?cursor=%%%", "cursor")]
    [InlineData("/api/v1/campaigns/..%2F..%2Fetc%2Fpasswd", "id")]
    [InlineData("/api/v1/campaigns/x'%20OR%201=1--", "id")]
    [InlineData("/api/v1/runs/not-a-guid", "runId")]
    public async Task Read_HostileQueryOrPath_Returns400NamingIt(string url, string field)
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.ReadKey);

        using var response = await client.GetAsync(url);

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, field);
    }

    [Fact]
    public async Task Update_HostileBody_ChangesNothing()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync("Stable");
        var before = await host.Services.GetRequiredService<ICampaignRepository>().GetAsync(id);

        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/campaigns/{id}") { Content = ApiHost.JsonBody("""{"name":"evil\r\nX-Injected: 1"}""") };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        using var response = await client.SendAsync(request);

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, "name");
        Assert.Equal(before, await host.Services.GetRequiredService<ICampaignRepository>().GetAsync(id));
    }
}
