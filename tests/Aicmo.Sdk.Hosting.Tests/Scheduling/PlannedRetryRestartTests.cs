using Aicmo.Sdk.Hosting.Internal;
using Aicmo.Sdk.Hosting.Tests.Support;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Hosting.Tests.Scheduling;

/// <summary>A retry planned by one host is kept in the job store: a new host over the same SQLite file fires it.</summary>
public sealed class PlannedRetryRestartTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 59, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "aicmo-hosting-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static DateTimeOffset At(int hour, int minute = 0) => new(2026, 6, 1, hour, minute, 0, TimeSpan.Zero);

    private ServiceProvider Build(FakeTimeProvider time, string hostId)
    {
        Directory.CreateDirectory(_directory);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAicmoPipeline()
            .UseTimeProvider(time)
            .UseSqlite($"Data Source={Path.Combine(_directory, "aicmo.db")}")
            .AddScheduler(o =>
            {
                o.HostId = hostId;
                o.NurturePass = false;
                o.PollInterval = TimeSpan.FromHours(1);
                o.Schedules.Add(new JobSchedule
                {
                    Id = "daily", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = "0 9 * * *",
                    Retry = new JobRetryPolicy { MaxRetries = 3, BaseDelay = TimeSpan.FromMinutes(10), UseJitter = false },
                });
            })
            .AddScheduledJob<RecordingJob>();
        return services.BuildServiceProvider();
    }

    private static RecordingJob Job(IServiceProvider services) => (RecordingJob)services.GetServices<IScheduledJob>().Single(j => j.Kind == RecordingJob.KindName);

    private static async Task TickAsync(JobScheduler scheduler)
    {
        await scheduler.TickAsync(CancellationToken.None);
        await scheduler.WhenIdleAsync();
    }

    [Fact]
    public async Task RetryPlannedBeforeARestart_IsFiredByTheNextHostOnTheSameFile_Once()
    {
        var time = new FakeTimeProvider(Start);
        await using (var first = Build(time, "host-1"))
        {
            var scheduler = first.GetRequiredService<JobScheduler>();
            await scheduler.InitializeAsync(CancellationToken.None);
            Job(first).Behavior = (_, _) => Task.FromResult(new JobOutcome { Status = JobStatus.Failed, Error = "vendor down" });
            time.Advance(TimeSpan.FromMinutes(1));
            await TickAsync(scheduler);

            var retry = Assert.Single(await first.GetRequiredService<IJobStore>().ListRetriesAsync());
            Assert.Equal(("daily", At(9), 2, At(9, 10), "vendor down", "host-1"), (retry.ScheduleId, retry.ScheduledAt, retry.Attempt, retry.DueAt, retry.Error, retry.Host));
            await scheduler.StopAsync(CancellationToken.None);
        }

        // The host is gone; another one starts on the same file after the retry fell due.
        time.Advance(TimeSpan.FromMinutes(15));
        await using var second = Build(time, "host-2");
        var next = second.GetRequiredService<JobScheduler>();
        await next.InitializeAsync(CancellationToken.None);
        await TickAsync(next);
        await TickAsync(next);

        Assert.Equal([("c", At(9), 2)], Job(second).Runs);
        var results = await second.GetRequiredService<IJobStore>().QueryResultsAsync(new JobResultQuery { CampaignId = "c" });
        Assert.Equal(
            [(1, JobStatus.Failed, "host-1"), (2, JobStatus.Completed, "host-2")],
            results.OrderBy(r => r.Attempt).Select(r => (r.Attempt, r.Status, r.Host!)));
        Assert.Empty(await second.GetRequiredService<IJobStore>().ListRetriesAsync());
        Assert.Equal(0, await next.CountPendingRetriesAsync());
    }
}
