using System.Net;
using System.Text.Json;
using Aicmo.Sdk.AspNetCore.Problems;
using Aicmo.Sdk.AspNetCore.Tests.Support;

namespace Aicmo.Sdk.AspNetCore.Tests.Dashboard;

public class DashboardEndpointsTests
{
    private static long StageSum(JsonElement run, string field) =>
        run.GetProperty("stages").EnumerateArray().Sum(s => s.GetProperty(field).GetInt64());

    private static long Step(JsonElement dashboard, string stage) =>
        dashboard.GetProperty("funnel").EnumerateArray().Single(s => s.GetProperty("stage").GetString() == stage).GetProperty("count").GetInt64();

    [Fact]
    public async Task Dashboard_AfterOneRun_FunnelAndOutcomesEqualTheRunsResult()
    {
        await using var host = await ApiHost.StartAsync(leadsPerSource: 400);
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();
        using var started = await client.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody("""{"maxLeads":300}"""));
        var run = await host.WaitForRunAsync(client, started.Headers.Location!.OriginalString);

        using var reader = host.As(ApiHost.ReadKey);
        using var response = await reader.GetAsync($"/api/v1/campaigns/{id}/dashboard");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var d = await ApiHost.ReadJsonAsync(response);
        var outcomes = d.GetProperty("outcomes");
        Assert.Equal(run.GetProperty("harvested").GetInt64(), Step(d, "harvested"));
        Assert.Equal(run.GetProperty("harvested").GetInt64(), d.GetProperty("totals").GetProperty("harvested").GetInt64());
        Assert.Equal(run.GetProperty("duplicates").GetInt64(), outcomes.GetProperty("duplicates").GetInt64());
        Assert.Equal(run.GetProperty("harvested").GetInt64() - run.GetProperty("duplicates").GetInt64(), Step(d, "stored"));
        Assert.Equal(StageSum(run, "disqualified"), outcomes.GetProperty("disqualified").GetInt64());
        Assert.Equal(StageSum(run, "manualReview"), outcomes.GetProperty("manualReview").GetInt64());
        Assert.Equal(StageSum(run, "quarantined"), outcomes.GetProperty("quarantined").GetInt64());
        Assert.Equal(StageSum(run, "suppressed"), outcomes.GetProperty("suppressed").GetInt64());
        Assert.Equal(StageSum(run, "routed"), outcomes.GetProperty("routed").GetInt64());
        Assert.Equal(StageSum(run, "contacted"), outcomes.GetProperty("contacted").GetInt64());
        Assert.Equal(StageSum(run, "routed") + StageSum(run, "contacted"), Step(d, "routed"));
        Assert.Equal(StageSum(run, "contacted"), Step(d, "contacted"));
        Assert.Equal(0, outcomes.GetProperty("inProgress").GetInt64());
        Assert.True(StageSum(run, "contacted") > 0 && StageSum(run, "disqualified") > 0, "The synthetic leads should reach several outcomes.");
        Assert.Equal("healthy", d.GetProperty("health").GetString());
        Assert.Equal(run.GetProperty("runId").GetString(), d.GetProperty("recentRuns")[0].GetProperty("runId").GetString());
        Assert.Equal(StageSum(run, "contacted"), d.GetProperty("totals").GetProperty("emailsSent").GetInt64());
        Assert.Equal(StageSum(run, "contacted"), d.GetProperty("sendsToday").GetInt64());
        Assert.Equal(Step(d, "stored"), d.GetProperty("leadsThisWeek").GetInt64());
        var rates = d.GetProperty("funnel").EnumerateArray().Skip(1).Select(s => s.GetProperty("rate").GetDouble());
        Assert.All(rates, r => Assert.InRange(r, 0, 1));
    }

    [Fact]
    public async Task Statistics_SumsEveryCampaign_AndStatusShowsTheLastRun()
    {
        await using var host = await ApiHost.StartAsync(leadsPerSource: 200);
        using var client = host.As(ApiHost.OperateKey);
        var first = await host.CreateCampaignAsync();
        var second = await host.CreateCampaignAsync();
        long stored = 0;
        foreach (var id in new[] { first, second })
        {
            using var started = await client.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody("""{"maxLeads":120}"""));
            var run = await host.WaitForRunAsync(client, started.Headers.Location!.OriginalString);
            stored += run.GetProperty("harvested").GetInt64() - run.GetProperty("duplicates").GetInt64();
        }

        using var reader = host.As(ApiHost.ReadKey);
        var stats = await ApiHost.ReadJsonAsync(await reader.GetAsync("/api/v1/statistics"));
        Assert.Equal(2, stats.GetProperty("campaigns").GetInt32());
        Assert.Equal(stored, stats.GetProperty("totalLeads").GetInt64());
        Assert.Equal(stored, stats.GetProperty("leadsByStatus").EnumerateObject().Sum(p => p.Value.GetInt64()));
        Assert.Equal(2, stats.GetProperty("campaignSummaries").GetArrayLength());
        Assert.InRange(stats.GetProperty("conversionRates").GetProperty("qualified").GetDouble(), 0, 1);

        var status = await ApiHost.ReadJsonAsync(await reader.GetAsync($"/api/v1/campaigns/{first}/status"));
        Assert.Equal("Completed", status.GetProperty("lastRun").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("currentRun").ValueKind);
        Assert.Equal("healthy", status.GetProperty("health").GetString());
    }

    [Theory]
    [InlineData("/api/v1/campaigns/no-such-campaign/dashboard")]
    [InlineData("/api/v1/campaigns/no-such-campaign/status")]
    public async Task UnknownCampaign_Returns404ProblemDetails(string path)
    {
        await using var host = await ApiHost.StartAsync();
        using var reader = host.As(ApiHost.ReadKey);
        using var response = await reader.GetAsync(path);
        await ApiHost.AssertProblemAsync(response, HttpStatusCode.NotFound, AicmoProblemTypes.NotFound);
    }

    [Theory]
    [InlineData("/api/v1/statistics")]
    [InlineData("/api/v1/alerts")]
    [InlineData("/api/v1/me")]
    public async Task ReadEndpoints_WithoutKey_Return401(string path)
    {
        await using var host = await ApiHost.StartAsync();
        using var response = await host.Client.GetAsync(path);
        await ApiHost.AssertProblemAsync(response, HttpStatusCode.Unauthorized, AicmoProblemTypes.Unauthenticated);
    }

    [Theory]
    [InlineData(ApiHost.ReadKey, "read")]
    [InlineData(ApiHost.OperateKey, "read,operate")]
    [InlineData(ApiHost.AdminKey, "read,operate,admin")]
    public async Task Me_ListsTheScopesTheServerEnforces(string key, string scopes)
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(key);
        var me = await ApiHost.ReadJsonAsync(await client.GetAsync("/api/v1/me"));
        Assert.Equal(scopes, string.Join(',', me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString())));
    }
}
