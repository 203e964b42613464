using System.Net;
using System.Net.Http.Headers;
using Aicmo.Sdk.AspNetCore.Problems;
using Aicmo.Sdk.AspNetCore.Tests.Support;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.AspNetCore.Tests.Campaigns;

public class CampaignEndpointsTests
{
    private const string Full = """
        {"id":"dental-q4","name":"Dental clinics Q4","description":"Clinics with 3+ chairs","targetNiche":"dental clinics",
         "serviceKey":"seo-audit","targetClients":12,"targetMonthlyRevenue":45000.5,"active":true,
         "settings":{"maxLeadsPerRun":5000,"sources":["synthetic"],"sequence":"intro"}}
        """;

    [Fact]
    public async Task Create_Returns201WithLocationETagAndEveryField_AndGetReadsItBack()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);

        using var created = await client.PostAsync("/api/v1/campaigns", ApiHost.JsonBody(Full));
        using var read = await client.GetAsync("/api/v1/campaigns/dental-q4");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/campaigns/dental-q4", created.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", created.Headers.ETag?.ToString());
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag?.ToString());
        var c = await ApiHost.ReadJsonAsync(read);
        Assert.Equal("Dental clinics Q4", c.GetProperty("name").GetString());
        Assert.Equal("dental clinics", c.GetProperty("targetNiche").GetString());
        Assert.Equal("seo-audit", c.GetProperty("serviceKey").GetString());
        Assert.Equal(12, c.GetProperty("targetClients").GetInt32());
        Assert.Equal(45000.5m, c.GetProperty("targetMonthlyRevenue").GetDecimal());
        Assert.True(c.GetProperty("active").GetBoolean());
        Assert.Equal(5000, c.GetProperty("settings").GetProperty("maxLeadsPerRun").GetInt64());
        Assert.Equal("synthetic", c.GetProperty("settings").GetProperty("sources")[0].GetString());
        Assert.True(c.TryGetProperty("createdAt", out _));
    }

    [Fact]
    public async Task Create_DuplicateNameOrId_Returns409AndKeepsTheFirst()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);
        using var first = await client.PostAsync("/api/v1/campaigns", ApiHost.JsonBody(Full));

        using var sameName = await client.PostAsync("/api/v1/campaigns", ApiHost.JsonBody("""{"name":"DENTAL clinics q4"}"""));
        using var sameId = await client.PostAsync("/api/v1/campaigns", ApiHost.JsonBody("""{"id":"dental-q4","name":"Other"}"""));

        await ApiHost.AssertProblemAsync(sameName, HttpStatusCode.Conflict, AicmoProblemTypes.Conflict);
        await ApiHost.AssertProblemAsync(sameId, HttpStatusCode.Conflict, AicmoProblemTypes.Conflict);
        var stored = Assert.Single(await host.Services.GetRequiredService<ICampaignRepository>().ListAsync());
        Assert.Equal("Dental clinics Q4", stored.Name);
    }

    [Fact]
    public async Task Get_Unknown_Returns404Problem()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.ReadKey);

        using var response = await client.GetAsync("/api/v1/campaigns/nope");

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.NotFound, AicmoProblemTypes.NotFound);
    }

    [Fact]
    public async Task Update_WithCurrentETag_AppliesAndBumpsTheETag_StaleETagGets412AndChangesNothing()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);
        using var created = await client.PostAsync("/api/v1/campaigns", ApiHost.JsonBody(Full));
        var etag = created.Headers.ETag!;

        using var update = new HttpRequestMessage(HttpMethod.Put, "/api/v1/campaigns/dental-q4") { Content = ApiHost.JsonBody("""{"name":"Renamed","targetClients":3}""") };
        update.Headers.IfMatch.Add(etag);
        using var updated = await client.SendAsync(update);
        using var stale = new HttpRequestMessage(HttpMethod.Put, "/api/v1/campaigns/dental-q4") { Content = ApiHost.JsonBody("""{"name":"Lost write"}""") };
        stale.Headers.IfMatch.Add(etag);
        using var refused = await client.SendAsync(stale);

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("\"2\"", updated.Headers.ETag?.ToString());
        await ApiHost.AssertProblemAsync(refused, HttpStatusCode.PreconditionFailed, AicmoProblemTypes.PreconditionFailed);
        var stored = await host.Services.GetRequiredService<ICampaignRepository>().GetAsync("dental-q4");
        Assert.Equal("Renamed", stored!.Name);
        Assert.Equal(3, stored.TargetClients);
        Assert.Equal(2, stored.Version);
    }

    [Fact]
    public async Task Update_WithoutIfMatch_Returns428()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();

        using var response = await client.PutAsync($"/api/v1/campaigns/{id}", ApiHost.JsonBody("""{"name":"x"}"""));

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.PreconditionRequired, AicmoProblemTypes.PreconditionRequired);
    }

    [Fact]
    public async Task Archive_HidesFromListAndRefusesRuns()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();

        using var archived = await client.PostAsync($"/api/v1/campaigns/{id}/archive", null);
        using var list = await client.GetAsync("/api/v1/campaigns");
        using var listAll = await client.GetAsync("/api/v1/campaigns?includeArchived=true");
        using var run = await client.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody("{}"));

        Assert.Equal(HttpStatusCode.OK, archived.StatusCode);
        Assert.True((await ApiHost.ReadJsonAsync(archived)).GetProperty("archived").GetBoolean());
        Assert.Equal(0, (await ApiHost.ReadJsonAsync(list)).GetProperty("items").GetArrayLength());
        Assert.Equal(1, (await ApiHost.ReadJsonAsync(listAll)).GetProperty("items").GetArrayLength());
        await ApiHost.AssertProblemAsync(run, HttpStatusCode.Conflict, AicmoProblemTypes.Conflict);
    }

    [Fact]
    public async Task List_PagesByCursorThroughEveryCampaignOnce()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.ReadKey);
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await host.CreateCampaignAsync("Campaign " + i));
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await client.GetAsync("/api/v1/campaigns?limit=3" + (cursor is null ? "" : "&cursor=" + cursor));
            var page = await ApiHost.ReadJsonAsync(response);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == System.Text.Json.JsonValueKind.String ? next.GetString() : null;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(ids.Order(StringComparer.Ordinal), seen);
    }
}
