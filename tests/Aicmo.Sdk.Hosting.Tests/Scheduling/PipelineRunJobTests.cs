using Aicmo.Sdk.Hosting.Tests.Support;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Hosting.Tests.Scheduling;

/// <summary>The run of a pipeline job carries the job's events in its own stream (<see cref="IPipelineRun.Events"/>).</summary>
public sealed class PipelineRunJobTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 59, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int hour, int minute = 0) => new(2026, 6, 1, hour, minute, 0, TimeSpan.Zero);

    private static async Task<List<PipelineEvent>> ReadAllAsync(IPipelineRun run)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<PipelineEvent>();
        await foreach (var e in run.Events.WithCancellation(timeout.Token))
        {
            events.Add(e);
        }

        return events;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true within 10 seconds.");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task ScheduledRun_ItsEventsCarryTheJobStart_RightAfterRunStarted()
    {
        var observer = new RecordingRunObserver();
        await using var harness = new SchedulerHarness(
            Start,
            o => o.Schedules.Add(new JobSchedule { Id = "harvest", CampaignId = "c", JobKind = JobKinds.Pipeline, Cron = "0 9 * * *" }),
            b =>
            {
                b.AddLeadSource(new SyntheticLeadSource(10, seed: 3)).AddEmailSender(new RecordingEmailSender());
                b.Services.AddSingleton<IScheduledRunObserver>(observer);
            });
        await harness.InitializeAsync();

        await harness.RunUntilAsync(At(9, 1));

        var (job, run) = Assert.Single(observer.Runs);
        var events = await ReadAllAsync(run);
        Assert.IsType<RunStarted>(events[0]);
        var carried = Assert.IsType<ScheduledJobEvent>(events[1]);
        var started = Assert.IsType<JobStarted>(carried.Job);
        Assert.Equal((run.RunId, job.JobId, "harvest", At(9), 1), (carried.RunId, started.JobId, started.ScheduleId, started.ScheduledAt, started.Attempt));
        Assert.IsType<RunCompleted>(events[^1]);
        var result = Assert.Single(await harness.ResultsAsync("c"));
        Assert.Equal((result.Id, run.RunId), (started.JobId, result.RunId));
    }

    [Fact]
    public async Task FireSkippedBecauseTheRunIsLive_TheLiveRunCarriesTheSkip()
    {
        var observer = new RecordingRunObserver();
        var source = new GatedLeadSource(5);
        await using var harness = new SchedulerHarness(
            Start,
            o =>
            {
                o.Schedules.Add(new JobSchedule { Id = "nine", CampaignId = "c", JobKind = JobKinds.Pipeline, Cron = "0 9 * * *" });
                o.Schedules.Add(new JobSchedule { Id = "nine-oh-one", CampaignId = "c", JobKind = JobKinds.Pipeline, Cron = "1 9 * * *" });
            },
            b =>
            {
                b.AddLeadSource(source).AddEmailSender(new RecordingEmailSender());
                b.Services.AddSingleton<IScheduledRunObserver>(observer);
            });
        await harness.InitializeAsync();

        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await harness.Scheduler.TickAsync(CancellationToken.None);
        await WaitUntilAsync(() => observer.Runs.Count == 1);
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await harness.Scheduler.TickAsync(CancellationToken.None);
        await WaitUntilAsync(() => harness.Scheduler.RunningJobs == 1);
        source.Open();
        await harness.Scheduler.WhenIdleAsync();

        var run = Assert.Single(observer.Runs).Run;
        var carried = (await ReadAllAsync(run)).OfType<ScheduledJobEvent>().Select(e => e.Job).ToList();
        Assert.Equal([typeof(JobStarted), typeof(JobSkipped)], carried.Select(e => e.GetType()));
        Assert.Equal(("nine", At(9)), (carried[0].ScheduleId, carried[0].ScheduledAt));
        Assert.Equal(("nine-oh-one", At(9, 1)), (carried[1].ScheduleId, carried[1].ScheduledAt));
        var results = await harness.ResultsAsync("c");
        Assert.Equal([JobStatus.Completed, JobStatus.Skipped], results.Select(r => r.Status));
    }
}
