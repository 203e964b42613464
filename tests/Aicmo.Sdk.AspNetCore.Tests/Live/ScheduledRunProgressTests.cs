using System.Net;
using Aicmo.Sdk.AspNetCore.Tests.Support;
using Aicmo.Sdk.Hosting;
using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.AspNetCore.Tests.Live;

/// <summary>A run the scheduler started on this host is followed over server-sent events like one started over HTTP, with its job's start.</summary>
public sealed class ScheduledRunProgressTests
{
    [Fact]
    public async Task ScheduledRun_ItsServerSentEventsCarryTheJobStartAndTheCompletion()
    {
        await using var host = await ApiHost.StartAsync(kestrel: true, leadsPerSource: 30, pipeline: p => p.AddScheduler(o =>
        {
            o.NurturePass = false;
            o.PollInterval = TimeSpan.FromMilliseconds(100);
        }));
        var campaign = await host.CreateCampaignAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var jobs = host.Services.GetRequiredService<IJobEventStream>();
        await using var stream = jobs.SubscribeAsync(campaign, cts.Token).GetAsyncEnumerator();
        var manager = host.Services.GetRequiredService<IScheduleManager>();
        await manager.CreateAsync(new JobSchedule { Id = "every-second", CampaignId = campaign, JobKind = JobKinds.Pipeline, Cron = "* * * * * *" }, cts.Token);

        Guid runId;
        while (true)
        {
            Assert.True(await stream.MoveNextAsync());
            if (stream.Current is JobRunEvent run)
            {
                runId = run.Event.RunId;
                break;
            }
        }

        await manager.PauseAsync("every-second", cts.Token);
        using var client = host.As(ApiHost.ReadKey);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/runs/{runId}/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var sse = new SseClient(response);
        var events = await sse.ReadToEndAsync(cts.Token);

        Assert.Equal("started", events[0].Json.GetProperty("payload").GetProperty("status").GetString());
        var jobEvents = events.Select(e => e.Json.GetProperty("payload")).Where(p => p.TryGetProperty("jobId", out _)).ToList();
        var job = Assert.Single(jobEvents, p => p.GetProperty("status").GetString() == "job_started");

        // A fire of the schedule while the run is still going (every second, until the pause) is skipped, and its skip is told
        // on the run's stream too; nothing else about a job is.
        Assert.All(jobEvents.Where(p => p.GetProperty("status").GetString() != "job_started"), p => Assert.Equal(
            ("job_skipped", "every-second"), (p.GetProperty("status").GetString(), p.GetProperty("scheduleId").GetString())));
        Assert.Equal(("job_started", "every-second", JobKinds.Pipeline, 1), (
            job.GetProperty("status").GetString(), job.GetProperty("scheduleId").GetString(), job.GetProperty("jobKind").GetString(), job.GetProperty("attempt").GetInt32()));
        Assert.Equal("complete", events[^1].Type);
        Assert.True(events[^1].Json.GetProperty("payload").GetProperty("balanced").GetBoolean());
        Assert.Equal(runId, events[^1].Json.GetProperty("runId").GetGuid());
    }
}
