using System.Net;
using System.Text.Json;
using Aicmo.Sdk.AspNetCore.Problems;
using Aicmo.Sdk.AspNetCore.Tests.Support;
using Aicmo.Sdk.Hosting;

namespace Aicmo.Sdk.AspNetCore.Tests.Schedules;

public class ScheduleEndpointsTests
{
    private static Task<ApiHost> StartAsync() =>
        ApiHost.StartAsync(leadsPerSource: 20, pipeline: p => p.AddScheduler(o =>
        {
            o.NurturePass = false;
            o.PollInterval = TimeSpan.FromMilliseconds(100);
        }));

    [Fact]
    public async Task Create_Get_List_Pause_Resume_Replace_Delete()
    {
        await using var host = await StartAsync();
        var campaign = await host.CreateCampaignAsync();
        using var client = host.As(ApiHost.OperateKey);
        var manager = host.Services.GetRequiredService<IScheduleManager>();

        using var created = await client.PostAsync("/api/v1/schedules", ApiHost.JsonBody($$$"""
            {"id":"nightly","campaignId":"{{{campaign}}}","cron":"0 2 * * *","timeZone":"Europe/London","misfire":"skip","maxLeads":500,"retry":{"maxRetries":1}}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/schedules/nightly", created.Headers.Location?.OriginalString);
        var schedule = await ApiHost.ReadJsonAsync(created);
        Assert.Equal("pipeline", schedule.GetProperty("jobKind").GetString());
        Assert.Equal("skip", schedule.GetProperty("misfire").GetString());
        Assert.Equal(1, schedule.GetProperty("retry").GetProperty("maxRetries").GetInt32());
        Assert.Equal(JsonValueKind.String, schedule.GetProperty("nextFireAt").ValueKind);
        Assert.Equal(500, (await manager.GetAsync("nightly"))?.MaxLeads);

        using var got = await client.GetAsync("/api/v1/schedules/nightly");
        Assert.Equal("Europe/London", (await ApiHost.ReadJsonAsync(got)).GetProperty("timeZone").GetString());
        using var listed = await client.GetAsync($"/api/v1/schedules?campaignId={campaign}");
        Assert.Single((await ApiHost.ReadJsonAsync(listed)).GetProperty("items").EnumerateArray());

        using var paused = await client.PostAsync("/api/v1/schedules/nightly/pause", null);
        var pausedBody = await ApiHost.ReadJsonAsync(paused);
        Assert.False(pausedBody.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, pausedBody.GetProperty("nextFireAt").ValueKind);
        Assert.False((await manager.GetAsync("nightly"))!.Enabled);

        using var resumed = await client.PostAsync("/api/v1/schedules/nightly/resume", null);
        Assert.True((await ApiHost.ReadJsonAsync(resumed)).GetProperty("enabled").GetBoolean());

        using var replaced = await client.PutAsync("/api/v1/schedules/nightly", ApiHost.JsonBody($$"""{"campaignId":"{{campaign}}","cron":"30 3 * * 1-5"}"""));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("30 3 * * 1-5", (await manager.GetAsync("nightly"))?.Cron);

        using var deleted = await client.DeleteAsync("/api/v1/schedules/nightly");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(await manager.GetAsync("nightly"));
        using var gone = await client.GetAsync("/api/v1/schedules/nightly");
        await ApiHost.AssertProblemAsync(gone, HttpStatusCode.NotFound, AicmoProblemTypes.NotFound);
    }

    [Fact]
    public async Task Occurrences_AreTheNextOnesInTheScheduleTimeZone_AndCountIsBounded()
    {
        await using var host = await StartAsync();
        var campaign = await host.CreateCampaignAsync();
        using var client = host.As(ApiHost.OperateKey);
        using var created = await client.PostAsync("/api/v1/schedules", ApiHost.JsonBody($$"""{"id":"ny","campaignId":"{{campaign}}","cron":"0 9 * * *","timeZone":"America/New_York"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var response = await client.GetAsync("/api/v1/schedules/ny/occurrences?count=5");
        using var tooMany = await client.GetAsync("/api/v1/schedules/ny/occurrences?count=101");
        using var zero = await client.GetAsync("/api/v1/schedules/ny/occurrences?count=0");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var occurrences = (await ApiHost.ReadJsonAsync(response)).GetProperty("occurrences").EnumerateArray().Select(e => e.GetDateTimeOffset()).ToList();
        Assert.Equal(5, occurrences.Count);
        Assert.All(occurrences, o => Assert.Equal(9, o.Hour));
        Assert.All(occurrences, o => Assert.True(o > DateTimeOffset.UtcNow));
        Assert.Equal(occurrences.Order().ToList(), occurrences);
        await ApiHost.AssertProblemAsync(tooMany, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, "count");
        await ApiHost.AssertProblemAsync(zero, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, "count");
    }

    [Fact]
    public async Task Jobs_ListTheResultsOfTheScheduleFires()
    {
        await using var host = await StartAsync();
        var campaign = await host.CreateCampaignAsync();
        using var client = host.As(ApiHost.OperateKey);
        using var created = await client.PostAsync("/api/v1/schedules", ApiHost.JsonBody($$"""{"id":"every-second","campaignId":"{{campaign}}","cron":"* * * * * *"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        JsonElement first = default;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using var jobs = await client.GetAsync("/api/v1/schedules/every-second/jobs?limit=5");
            Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
            var completed = (await ApiHost.ReadJsonAsync(jobs)).GetProperty("items").EnumerateArray()
                .Where(i => i.GetProperty("status").GetString() == "Completed").ToList();
            if (completed.Count > 0)
            {
                first = completed[0];
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(JsonValueKind.Object, first.ValueKind);
        Assert.Equal("every-second", first.GetProperty("scheduleId").GetString());
        Assert.Equal("pipeline", first.GetProperty("jobKind").GetString());
        Assert.Equal(20, first.GetProperty("leadsProcessed").GetInt64());
        Assert.Equal(JsonValueKind.String, first.GetProperty("runId").ValueKind);
        using var paused = await client.PostAsync("/api/v1/schedules/every-second/pause", null);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"campaignId":"{{c}}","cron":"not cron"}""", "cron" },
        { """{"campaignId":"{{c}}","cron":"0 2 * * *","timeZone":"Mars/Olympus"}""", "timeZone" },
        { """{"campaignId":"{{c}}","cron":"0 2 * * *","jobKind":"mine-bitcoin"}""", "jobKind" },
        { """{"campaignId":"no-such-campaign","cron":"0 2 * * *"}""", "campaignId" },
        { """{"campaignId":"{{c}}","cron":"0 2 * * *\r\nX: y"}""", "cron" },
        { """{"campaignId":"{{c}}","cron":"0 2 * * *","id":"Bad/Id"}""", "id" },
        { """{"campaignId":"{{c}}","cron":"0 2 * * *","misfire":"sometimes"}""", "misfire" },
        { """{"campaignId":"{{c}}","cron":"0 2 * * *","maxCatchUp":0}""", "maxCatchUp" },
        { """{"campaignId":"{{c}}","cron":"0 2 * * *","retry":{"maxRetries":1000}}""", "retry.maxRetries" },
        { """{"campaignId":"{{c}}","cron":"0 2 * * *","maxLeads":0}""", "maxLeads" },
        { """{"cron":"0 2 * * *"}""", "campaignId" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_InvalidBody_400NamingTheFieldAndNothingStored(string template, string field)
    {
        await using var host = await StartAsync();
        var campaign = await host.CreateCampaignAsync();
        using var client = host.As(ApiHost.OperateKey);

        using var response = await client.PostAsync("/api/v1/schedules", ApiHost.JsonBody(template.Replace("{{c}}", campaign, StringComparison.Ordinal)));

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, field);
        Assert.Empty(await host.Services.GetRequiredService<IScheduleManager>().ListAsync());
    }

    [Fact]
    public async Task Create_DuplicateId_409AndTheFirstIsKept()
    {
        await using var host = await StartAsync();
        var campaign = await host.CreateCampaignAsync();
        using var client = host.As(ApiHost.OperateKey);
        using var first = await client.PostAsync("/api/v1/schedules", ApiHost.JsonBody($$"""{"id":"dup","campaignId":"{{campaign}}","cron":"0 2 * * *"}"""));

        using var second = await client.PostAsync("/api/v1/schedules", ApiHost.JsonBody($$"""{"id":"dup","campaignId":"{{campaign}}","cron":"0 5 * * *"}"""));

        await ApiHost.AssertProblemAsync(second, HttpStatusCode.Conflict, AicmoProblemTypes.Conflict);
        Assert.Equal("0 2 * * *", (await host.Services.GetRequiredService<IScheduleManager>().GetAsync("dup"))?.Cron);
    }

    [Fact]
    public async Task ReadKey_CanReadButNotChange_403AndNothingChanges()
    {
        await using var host = await StartAsync();
        var campaign = await host.CreateCampaignAsync();
        using var operate = host.As(ApiHost.OperateKey);
        using var created = await operate.PostAsync("/api/v1/schedules", ApiHost.JsonBody($$"""{"id":"kept","campaignId":"{{campaign}}","cron":"0 2 * * *"}"""));
        using var reader = host.As(ApiHost.ReadKey);

        using var get = await reader.GetAsync("/api/v1/schedules/kept");
        using var create = await reader.PostAsync("/api/v1/schedules", ApiHost.JsonBody($$"""{"campaignId":"{{campaign}}","cron":"0 2 * * *"}"""));
        using var pause = await reader.PostAsync("/api/v1/schedules/kept/pause", null);
        using var delete = await reader.DeleteAsync("/api/v1/schedules/kept");

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        await ApiHost.AssertProblemAsync(create, HttpStatusCode.Forbidden, AicmoProblemTypes.Forbidden);
        await ApiHost.AssertProblemAsync(pause, HttpStatusCode.Forbidden, AicmoProblemTypes.Forbidden);
        await ApiHost.AssertProblemAsync(delete, HttpStatusCode.Forbidden, AicmoProblemTypes.Forbidden);
        var stored = Assert.Single(await host.Services.GetRequiredService<IScheduleManager>().ListAsync());
        Assert.True(stored.Enabled);
    }

    [Theory]
    [InlineData("/api/v1/schedules/..%2F..%2Fetc", "id")]
    [InlineData("/api/v1/schedules/UPPER", "id")]
    public async Task HostilePathId_400(string path, string field)
    {
        await using var host = await StartAsync();
        using var client = host.As(ApiHost.OperateKey);

        using var response = await client.GetAsync(path);

        await ApiHost.AssertProblemAsync(response, HttpStatusCode.BadRequest, AicmoProblemTypes.Validation, field);
    }

    [Fact]
    public async Task WithoutTheScheduler_SchedulesAreNotMapped()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.As(ApiHost.OperateKey);

        using var response = await client.GetAsync("/api/v1/schedules");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
