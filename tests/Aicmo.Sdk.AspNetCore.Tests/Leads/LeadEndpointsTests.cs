using System.Net;
using System.Text.Json;
using Aicmo.Sdk.AspNetCore.Problems;
using Aicmo.Sdk.AspNetCore.Tests.Support;

namespace Aicmo.Sdk.AspNetCore.Tests.Leads;

public class LeadEndpointsTests
{
    private static async Task<(ApiHost Host, string CampaignId, long Stored)> HostWithRunAsync(int maxLeads = 120)
    {
        var host = await ApiHost.StartAsync(leadsPerSource: 300);
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();
        using var started = await client.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody($$"""{"maxLeads":{{maxLeads}}}"""));
        var run = await host.WaitForRunAsync(client, started.Headers.Location!.OriginalString);
        return (host, id, run.GetProperty("harvested").GetInt64() - run.GetProperty("duplicates").GetInt64());
    }

    [Fact]
    public async Task List_PagesByKey_FindsEveryLeadOnce()
    {
        var (host, id, stored) = await HostWithRunAsync();
        await using var _ = host;
        using var reader = host.As(ApiHost.ReadKey);
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = $"/api/v1/leads?campaignId={id}&pageSize=25" + (cursor is null ? "" : "&after=" + cursor);
            using var response = await reader.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await ApiHost.ReadJsonAsync(response);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(stored, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal((int)Math.Ceiling(stored / 25.0), pages);
    }

    [Fact]
    public async Task List_ByStatusAndByEmail_Filters()
    {
        var (host, id, _) = await HostWithRunAsync();
        await using var __ = host;
        using var reader = host.As(ApiHost.ReadKey);
        var contacted = await ApiHost.ReadJsonAsync(await reader.GetAsync($"/api/v1/leads?campaignId={id}&status=contacted&pageSize=500"));
        var items = contacted.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, l => Assert.Equal("Contacted", l.GetProperty("status").GetString()));

        var email = items[0].GetProperty("email").GetString()!;
        var byEmail = await ApiHost.ReadJsonAsync(await reader.GetAsync($"/api/v1/leads?email={Uri.EscapeDataString(email.ToUpperInvariant())}"));
        var found = Assert.Single(byEmail.GetProperty("items").EnumerateArray());
        Assert.Equal(items[0].GetProperty("id").GetString(), found.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Get_ReturnsTheWholeTrail_AndTheOutbox()
    {
        var (host, id, _) = await HostWithRunAsync();
        await using var __ = host;
        using var reader = host.As(ApiHost.ReadKey);
        var contacted = await ApiHost.ReadJsonAsync(await reader.GetAsync($"/api/v1/leads?campaignId={id}&status=Contacted&pageSize=1"));
        var leadId = contacted.GetProperty("items")[0].GetProperty("id").GetString();

        var lead = await ApiHost.ReadJsonAsync(await reader.GetAsync($"/api/v1/leads/{leadId}"));
        var trail = lead.GetProperty("trail").EnumerateArray().ToList();
        Assert.Equal("New", trail[0].GetProperty("to").GetString());
        Assert.Equal("Contacted", trail[^1].GetProperty("to").GetString());
        Assert.Equal(trail.Select(e => e.GetProperty("sequence").GetInt64()).Order(), trail.Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.NotEmpty(lead.GetProperty("score").GetProperty("components").EnumerateArray());
        Assert.Equal("Qualified", lead.GetProperty("qualificationVerdict").GetString());
        Assert.False(string.IsNullOrEmpty(lead.GetProperty("routing").GetProperty("team").GetString()));

        var outbox = await ApiHost.ReadJsonAsync(await reader.GetAsync($"/api/v1/leads/{leadId}/outbox"));
        var entry = Assert.Single(outbox.EnumerateArray());
        Assert.Equal("Sent", entry.GetProperty("status").GetString());
        Assert.Equal(1, entry.GetProperty("step").GetInt32());
    }

    [Theory]
    [InlineData("/api/v1/leads?campaignId=c&pageSize=0", "pageSize")]
    [InlineData("/api/v1/leads?campaignId=c&pageSize=501", "pageSize")]
    [InlineData("/api/v1/leads?campaignId=c&pageSize=ten", "pageSize")]
    [InlineData("/api/v1/leads?campaignId=c&status=Sleeping", "status")]
    [InlineData("/api/v1/leads?campaignId=c&status=3", "status")]
    [InlineData("/api/v1/leads?campaignId=c&after=not-a-cursor!", "after")]
    [InlineData("/api/v1/leads?campaignId=c&after=YWJj", "after")]
    [InlineData("/api/v1/leads?email=not-an-email", "email")]
    [InlineData("/api/v1/leads", "campaignId")]
    [InlineData("/api/v1/leads/not-a-guid", "id")]
    [InlineData("/api/v1/leads/..%2F..%2Fetc%2Fpasswd/outbox", "id")]
    public async Task InvalidQuery_Returns400NamingTheField(string url, string field)
    {
        await using var host = await ApiHost.StartAsync();
        using var reader = host.As(ApiHost.ReadKey);
        using var response = await reader.GetAsync(url);
        await ApiHost.AssertProblemAsync(response, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, field);
    }

    [Theory]
    [InlineData("/api/v1/leads?campaignId=no-such-campaign")]
    [InlineData("/api/v1/leads/0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("/api/v1/leads/0f8fad5b-d9cb-469f-a165-70867728950e/outbox")]
    public async Task Unknown_Returns404ProblemDetails(string url)
    {
        await using var host = await ApiHost.StartAsync();
        using var reader = host.As(ApiHost.ReadKey);
        using var response = await reader.GetAsync(url);
        await ApiHost.AssertProblemAsync(response, HttpStatusCode.NotFound, AicmoProblemTypes.NotFound);
    }
}
