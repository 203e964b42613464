using System.Text;
using Aicmo.Sdk.Hosting.Internal;
using Aicmo.Sdk.Hosting.Tests.Support;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Aicmo.Sdk.Hosting.Tests.DependencyInjection;

public sealed class SchedulerPipelineBuilderExtensionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private const string Json = """
        {
          "Aicmo": {
            "Scheduler": {
              "PollInterval": "00:00:05",
              "NurturePass": false,
              "Schedules": [
                {
                  "Id": "hourly-harvest",
                  "CampaignId": "spring",
                  "JobKind": "pipeline",
                  "Cron": "15 * * * *",
                  "TimeZone": "Europe/London",
                  "Misfire": "CatchUp",
                  "MaxCatchUp": 2,
                  "MisfireThreshold": "00:05:00",
                  "MaxLeads": 5000,
                  "Retry": { "MaxRetries": 4, "BaseDelay": "00:01:00", "UseJitter": false }
                }
              ]
            }
          }
        }
        """;

    [Fact]
    public async Task Configuration_SchedulesFromJson_AreBoundValidatedAndStored()
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Json))).Build();
        await using var harness = new SchedulerHarness(Now, o => configuration.GetSection("Aicmo:Scheduler").Bind(o));

        await harness.InitializeAsync();

        var stored = await harness.Manager.GetAsync("hourly-harvest");
        Assert.NotNull(stored);
        Assert.Equal(
            ("spring", JobKinds.Pipeline, "15 * * * *", "Europe/London", MisfirePolicy.CatchUp, 2, TimeSpan.FromMinutes(5), 5000L),
            (stored.CampaignId, stored.JobKind, stored.Cron, stored.TimeZone, stored.Misfire, stored.MaxCatchUp, stored.MisfireThreshold, stored.MaxLeads!.Value));
        Assert.Equal(new JobRetryPolicy { MaxRetries = 4, BaseDelay = TimeSpan.FromMinutes(1), UseJitter = false }, stored.Retry);
        Assert.Equal(Now.AddMinutes(15), stored.NextFireAt);
    }

    [Fact]
    public async Task Restart_PausedScheduleFromCode_StaysPausedAndTakesAChangedDefinition()
    {
        var definition = new JobSchedule { Id = "code", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = "0 * * * *" };
        var cron = "0 * * * *";
        await using var harness = new SchedulerHarness(Now, o => o.Schedules.Add(definition with { Cron = cron }));
        await harness.InitializeAsync();
        await harness.Manager.PauseAsync("code");

        await harness.RestartAsync();
        Assert.Equal((false, 2L), ((await harness.Manager.GetAsync("code"))!.Enabled, (await harness.Manager.GetAsync("code"))!.Version));

        cron = "30 * * * *";
        harness.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SchedulerOptions>>().Value.Schedules[0] = definition with { Cron = cron };
        await harness.RestartAsync();
        var changed = (await harness.Manager.GetAsync("code"))!;
        Assert.Equal(("30 * * * *", false, (DateTimeOffset?)null), (changed.Cron, changed.Enabled, changed.NextFireAt));
    }

    [Fact]
    public void AddScheduler_RegistersTheHostedServiceOnceAndTheDefaultStore()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAicmoPipeline().AddScheduler().AddScheduler();
        using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetServices<IHostedService>().OfType<SchedulerHostedService>());
        Assert.IsType<InMemoryJobStore>(provider.GetRequiredService<IJobStore>());
        Assert.Equal([JobKinds.Pipeline, JobKinds.HarvestOnly, JobKinds.Backlog, JobKinds.Nurture], provider.GetServices<IScheduledJob>().Select(j => j.Kind));
    }

    [Fact]
    public async Task Host_SecondsSchedule_FiresOnItsOwnAndStopCancelsTheRunningJobAndReleasesItsLease()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAicmoPipeline().AddScheduler(o =>
        {
            o.NurturePass = false;
            o.PollInterval = TimeSpan.FromMilliseconds(100);
            o.Schedules.Add(new JobSchedule { Id = "s", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = "* * * * * *", MisfireThreshold = TimeSpan.FromSeconds(5) });
        }).AddScheduledJob<RecordingJob>();
        using var host = builder.Build();
        var job = host.Services.GetServices<IScheduledJob>().OfType<RecordingJob>().Single();
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        job.Behavior = async (context, token) =>
        {
            if (job.Runs.Count >= 3)
            {
                blocked.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
            }

            return new JobOutcome();
        };
        var store = host.Services.GetRequiredService<IJobStore>();

        await host.StartAsync();
        await blocked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await host.StopAsync();

        var results = await store.QueryResultsAsync(new JobResultQuery { CampaignId = "c", Take = 1000 });
        Assert.True(results.Count(r => r.Status == JobStatus.Completed) >= 2);
        var cancelled = Assert.Single(results, r => r.Status == JobStatus.Cancelled);
        Assert.Equal("the host stopped", cancelled.Error);
        Assert.NotNull(await store.TryAcquireLeaseAsync("c", RecordingJob.KindName, "next-host", TimeSpan.FromMinutes(1)));
    }
}
