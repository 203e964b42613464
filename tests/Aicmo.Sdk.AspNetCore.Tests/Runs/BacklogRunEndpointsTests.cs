using System.Net;
using Aicmo.Sdk.AspNetCore.Problems;
using Aicmo.Sdk.AspNetCore.Tests.Support;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.AspNetCore.Tests.Runs;

/// <summary>Backlog runs over HTTP: chosen stages over a campaign's stored leads in chosen states.</summary>
public sealed class BacklogRunEndpointsTests
{
    [Fact]
    public async Task Backlog_TakesTheLeadsAHarvestLeftInNew_ThroughTheStagesAndBalances()
    {
        await using var host = await ApiHost.StartAsync(leadsPerSource: 40);
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();
        using var harvest = await client.PostAsync($"/api/v1/campaigns/{id}/execute/harvest", null);
        await host.WaitForRunAsync(client, harvest.Headers.Location!.OriginalString);
        var leads = host.Services.GetRequiredService<ILeadRepository>();
        var inNew = await leads.CountAsync(id, LeadStatus.New);
        Assert.True(inNew > 0);

        using var started = await client.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody(
            """{"kind":"backlog","backlog":{"stages":["enrich","score","qualify"],"states":["new"]}}"""));

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal("backlog", (await ApiHost.ReadJsonAsync(started)).GetProperty("kind").GetString());
        var run = await host.WaitForRunAsync(client, started.Headers.Location!.OriginalString);
        Assert.Equal(("Completed", "backlog"), (run.GetProperty("status").GetString(), run.GetProperty("kind").GetString()));
        Assert.Equal(inNew, run.GetProperty("selected").GetInt64());
        Assert.Equal(0, run.GetProperty("harvested").GetInt64());
        Assert.True(run.GetProperty("balanced").GetBoolean());
        Assert.Equal(["harvest", "dedup", "enrich", "score", "qualify"], run.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(0, await leads.CountAsync(id, LeadStatus.New));
        Assert.Equal(0, await leads.CountAsync(id, LeadStatus.Routed) + await leads.CountAsync(id, LeadStatus.Contacted));
    }

    [Theory]
    [InlineData("""{"kind":"backlog","backlog":{"stages":["score"]}}""", "backlog.states")]
    [InlineData("""{"kind":"backlog","backlog":{"stages":["score"],"states":["Sleeping"]}}""", "backlog.states")]
    [InlineData("""{"kind":"backlog","backlog":{"stages":[],"states":["New"]}}""", "backlog.stages")]
    [InlineData("""{"kind":"backlog","backlog":{"stages":["score;drop table"],"states":["New"]}}""", "backlog.stages")]
    [InlineData("""{"kind":"backlog","backlog":{"stages":["harvest"],"states":["New"]}}""", "backlog.stages")]
    [InlineData("""{"kind":"backlog","backlog":{"stages":["frobnicate"],"states":["New"]}}""", "backlog.stages")]
    [InlineData("""{"kind":"backlog","backlog":{"stages":["score","route"],"states":["New"]}}""", "backlog.stages")]
    [InlineData("""{"kind":"harvest","backlog":{"stages":["score"],"states":["New"]}}""", "backlog")]
    public async Task Backlog_Invalid_Returns400NamingTheFieldAndStartsNothing(string body, string field)
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();

        using var response = await client.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody(body));

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, field);
        Assert.Empty(await host.Services.GetRequiredService<IRunRepository>().ListAsync(id));
    }
}
