using System.Net;
using Aicmo.Sdk.AspNetCore.Problems;
using Aicmo.Sdk.AspNetCore.Tests.Support;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.AspNetCore.Tests.Runs;

public class RunEndpointsTests
{
    [Fact]
    public async Task Start_Returns202WithLocation_AndTheRunCompletesBalanced()
    {
        await using var host = await ApiHost.StartAsync(leadsPerSource: 300);
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();

        using var started = await client.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody("""{"kind":"full","maxLeads":250}"""));

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var location = started.Headers.Location!.OriginalString;
        Assert.StartsWith("/api/v1/runs/", location, StringComparison.Ordinal);
        var run = await host.WaitForRunAsync(client, location);
        Assert.Equal("Completed", run.GetProperty("status").GetString());
        Assert.Equal(250, run.GetProperty("harvested").GetInt64());
        Assert.True(run.GetProperty("balanced").GetBoolean());
        Assert.True(run.GetProperty("durationMs").GetInt64() >= 0);
        Assert.Contains(run.GetProperty("stages").EnumerateArray(), s => s.GetProperty("name").GetString() == "dedup");
        Assert.InRange(run.GetProperty("successRate").GetDouble(), 0, 1);
    }

    [Fact]
    public async Task Start_WithoutBody_UsesTheCampaignsMaxLeadsPerRun()
    {
        await using var host = await ApiHost.StartAsync(leadsPerSource: 300);
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync(extra: "\"settings\":{\"maxLeadsPerRun\":40}");

        using var started = await client.PostAsync($"/api/v1/campaigns/{id}/execute/full-pipeline", null);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var run = await host.WaitForRunAsync(client, started.Headers.Location!.OriginalString);
        Assert.Equal(40, run.GetProperty("harvested").GetInt64());
    }

    [Theory]
    [InlineData("""{"maxLeads":0}""", "maxLeads")]
    [InlineData("""{"maxLeads":100000000000}""", "maxLeads")]
    [InlineData("""{"kind":"everything"}""", "kind")]
    [InlineData("""{"kind":"backlog"}""", "backlog")]
    [InlineData("""{"parameters":{"BAD KEY":"x"}}""", "parameters")]
    [InlineData("""{"parameters":{"1st":"x"}}""", "parameters")]
    [InlineData("""{"parameters":{"k":"line\nbreak"}}""", "parameters.k")]
    [InlineData("""{"parameters":{"k":"sep\u2028"}}""", "parameters.k")]
    public async Task Start_InvalidParameters_Returns400NamingTheFieldAndStartsNothing(string body, string field)
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();

        using var response = await client.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody(body));

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, field);
        Assert.Empty(await host.Services.GetRequiredService<IRunRepository>().ListAsync(id));
    }

    [Fact]
    public async Task Start_TooManyOrTooLongParameters_Returns400NamingTheFieldAndStartsNothing()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();
        var many = string.Join(",", Enumerable.Range(0, 33).Select(i => $"\"p{i}\":\"v\""));

        using var tooMany = await client.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody("{\"parameters\":{" + many + "}}"));
        using var tooLong = await client.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody("{\"parameters\":{\"k\":\"" + new string('v', 1025) + "\"}}"));

        await ApiHost.AssertProblemAsync(tooMany, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, "parameters");
        await ApiHost.AssertProblemAsync(tooLong, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, "parameters.k");
        Assert.Empty(await host.Services.GetRequiredService<IRunRepository>().ListAsync(id));
    }

    [Fact]
    public async Task HarvestAlias_StoresTheNewLeadsInNew_AndMailsNobody()
    {
        await using var host = await ApiHost.StartAsync(leadsPerSource: 60);
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();

        using var started = await client.PostAsync($"/api/v1/campaigns/{id}/execute/harvest", null);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal("harvest", (await ApiHost.ReadJsonAsync(started)).GetProperty("kind").GetString());
        var run = await host.WaitForRunAsync(client, started.Headers.Location!.OriginalString);
        Assert.Equal("Completed", run.GetProperty("status").GetString());
        Assert.Equal("harvest", run.GetProperty("kind").GetString());
        var leads = host.Services.GetRequiredService<ILeadRepository>();
        var stored = await leads.CountAsync(id);
        Assert.True(run.GetProperty("balanced").GetBoolean());
        Assert.InRange(stored, 1, 60 - run.GetProperty("duplicates").GetInt64()); // the intake policy may reject a synthetic candidate
        // Harvest only: every stored lead stopped before enrichment, in New, except a candidate without an identity, which intake
        // disqualifies as it stores it.
        var inNew = await leads.CountAsync(id, Domain.LeadStatus.New);
        var disqualified = await leads.CountAsync(id, Domain.LeadStatus.Disqualified);
        Assert.True(inNew > 0);
        Assert.Equal(stored, inNew + disqualified);
        Assert.Equal(0, ((Testing.RecordingEmailSender)host.Services.GetRequiredService<Nurture.IEmailSender>()).Count);
    }

    [Fact]
    public async Task HarvestAlias_WithAnotherKindInTheBody_Returns400NamingKind()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();

        using var response = await client.PostAsync($"/api/v1/campaigns/{id}/execute/harvest", ApiHost.JsonBody("""{"kind":"full-pipeline"}"""));

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, "kind");
        Assert.Empty(await host.Services.GetRequiredService<IRunRepository>().ListAsync(id));
    }

    [Fact]
    public async Task DryRunWithParameters_ReportsTheRun_StoresNoLeadAndSendsNothing_AndKeepsTheParameters()
    {
        await using var host = await ApiHost.StartAsync(leadsPerSource: 50);
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();

        using var started = await client.PostAsync($"/api/v1/campaigns/{id}/runs",
            ApiHost.JsonBody("""{"kind":"full-pipeline","dryRun":true,"parameters":{"region":"emea","crm.list-id":"42"}}"""));

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var run = await host.WaitForRunAsync(client, started.Headers.Location!.OriginalString);
        Assert.Equal("Completed", run.GetProperty("status").GetString());
        Assert.True(run.GetProperty("dryRun").GetBoolean());
        Assert.Equal(50, run.GetProperty("harvested").GetInt64());
        Assert.Equal(0, await host.Services.GetRequiredService<ILeadRepository>().CountAsync(id));
        Assert.Equal(0, ((Testing.RecordingEmailSender)host.Services.GetRequiredService<Nurture.IEmailSender>()).Count);
        var record = Assert.Single(await host.Services.GetRequiredService<IRunRepository>().ListAsync(id));
        Assert.True(record.DryRun);
        Assert.Equal("emea", record.Parameters?["region"]);
        Assert.Equal("42", record.Parameters?["crm.list-id"]);
    }

    [Fact]
    public async Task Start_UnknownCampaign_Returns404()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);

        using var response = await client.PostAsync("/api/v1/campaigns/missing/runs", ApiHost.JsonBody("{}"));

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.NotFound, AicmoProblemTypes.NotFound);
    }

    [Fact]
    public async Task ListRuns_ShowsTheCampaignsRunsNewestFirst()
    {
        await using var host = await ApiHost.StartAsync(leadsPerSource: 50);
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();
        var locations = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var started = await client.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody("{}"));
            locations.Add(started.Headers.Location!.OriginalString);
            await host.WaitForRunAsync(client, locations[^1]);
        }

        using var list = await client.GetAsync($"/api/v1/campaigns/{id}/runs");

        var items = (await ApiHost.ReadJsonAsync(list)).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("links").GetProperty("self").GetString()).ToList();
        Assert.Equal(Enumerable.Reverse(locations), items);
    }

    [Fact]
    public async Task CancelAndResume_UnknownRun404_EndedRun409()
    {
        await using var host = await ApiHost.StartAsync(leadsPerSource: 20);
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();
        using var started = await client.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody("{}"));
        var location = started.Headers.Location!.OriginalString;
        await host.WaitForRunAsync(client, location);

        using var cancelUnknown = await client.PostAsync($"/api/v1/runs/{Guid.NewGuid()}/cancel", null);
        using var cancelEnded = await client.PostAsync(location + "/cancel", null);
        using var resumeEnded = await client.PostAsync(location + "/resume", null);

        await ApiHost.AssertProblemAsync(cancelUnknown, HttpStatusCode.NotFound, AicmoProblemTypes.NotFound);
        await ApiHost.AssertProblemAsync(cancelEnded, HttpStatusCode.Conflict, AicmoProblemTypes.Conflict);
        await ApiHost.AssertProblemAsync(resumeEnded, HttpStatusCode.Conflict, AicmoProblemTypes.Conflict);
    }

    [Fact]
    public async Task Cancel_RunningRun_EndsCancelled_ThenResumeCompletesItBalanced()
    {
        var gate = new TaskCompletionSource();
        await using var host = await ApiHost.StartAsync(pipeline: p => p.AddLeadSource(new GatedLeadSource(gate.Task, 100)));
        using var client = host.As(ApiHost.OperateKey);
        var id = await host.CreateCampaignAsync();
        using var started = await client.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody("{}"));
        var location = started.Headers.Location!.OriginalString;

        using var cancel = await client.PostAsync(location + "/cancel", null);
        gate.SetResult();
        var cancelled = await host.WaitForRunAsync(client, location);
        using var resume = await client.PostAsync(location + "/resume", null);
        var resumed = await host.WaitForRunAsync(client, resume.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        Assert.Equal(location, resume.Headers.Location!.OriginalString);
        Assert.Equal("Completed", resumed.GetProperty("status").GetString());
        Assert.True(resumed.GetProperty("balanced").GetBoolean());
    }
}
