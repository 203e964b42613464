using Aicmo.Sdk.Hosting.Tests.Support;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Hosting.Tests.Scheduling;

/// <summary>What <see cref="IJobEventStream"/> streams: every job's start, skip, misfire, planned retry and completion, and the events of its run.</summary>
public sealed class JobEventStreamTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 59, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int hour, int minute = 0) => new(2026, 6, 1, hour, minute, 0, TimeSpan.Zero);

    private static async Task<List<JobEvent>> CollectAsync(IAsyncEnumerator<JobEvent> events, Func<JobEvent, bool> last)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var list = new List<JobEvent>();
        while (await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token))
        {
            list.Add(events.Current);
            if (last(events.Current))
            {
                return list;
            }
        }

        return list;
    }

    [Fact]
    public async Task FailedJobRetried_StreamsStartCompletionAndThePlannedRetry_EachWithItsJobId()
    {
        await using var harness = new SchedulerHarness(Start);
        await harness.InitializeAsync();
        var attempts = 0;
        harness.Job.Behavior = (_, _) => Task.FromResult(++attempts == 1
            ? new JobOutcome { Status = JobStatus.Failed, Error = "vendor down" }
            : new JobOutcome { LeadsProcessed = 3 });
        await harness.Manager.CreateAsync(new JobSchedule
        {
            Id = "daily", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = "0 9 * * *",
            Retry = new JobRetryPolicy { MaxRetries = 2, BaseDelay = TimeSpan.FromMinutes(2), UseJitter = false },
        });
        var stream = harness.Services.GetRequiredService<IJobEventStream>();
        await using var events = stream.SubscribeAsync("c").GetAsyncEnumerator();
        var collecting = CollectAsync(events, e => e is JobCompleted { Result.Attempt: 2 });

        await harness.RunUntilAsync(At(9, 5));
        var seen = await collecting;

        Assert.Equal(
            [typeof(JobStarted), typeof(JobCompleted), typeof(JobRetryPlanned), typeof(JobStarted), typeof(JobCompleted)],
            seen.Select(e => e.GetType()));
        Assert.All(seen, e => Assert.Equal(("daily", "c", RecordingJob.KindName, At(9)), (e.ScheduleId, e.CampaignId, e.JobKind, e.ScheduledAt)));
        var first = (JobCompleted)seen[1];
        var retry = (JobRetryPlanned)seen[2];
        var second = (JobCompleted)seen[4];
        Assert.Equal((JobStatus.Failed, "vendor down"), (first.Result.Status, first.Result.Error));
        Assert.Equal((2, At(9, 2), "vendor down"), (retry.Attempt, retry.DueAt, retry.Error));
        Assert.Equal((2, At(9, 2)), (((JobStarted)seen[3]).Attempt, seen[3].Timestamp));
        Assert.Equal(JobStatus.Completed, second.Result.Status);

        // One id per attempt, the id of the result it recorded.
        Assert.Equal(seen[0].JobId, first.Result.Id);
        Assert.Equal(first.JobId, retry.JobId);
        Assert.Equal(seen[3].JobId, second.Result.Id);
        Assert.NotEqual(first.JobId, second.JobId);
    }

    [Fact]
    public async Task OverlapAndMisfire_AreStreamedAsSkippedAndMisfired()
    {
        await using var harness = new SchedulerHarness(Start);
        await harness.InitializeAsync();
        await harness.Manager.CreateAsync(new JobSchedule
        {
            Id = "hourly", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = "0 * * * *", Misfire = MisfirePolicy.Skip,
        });
        var stream = harness.Services.GetRequiredService<IJobEventStream>();
        await using var events = stream.SubscribeAsync().GetAsyncEnumerator();

        // Down from 08:59 to 11:30: 09:00, 10:00 and 11:00 were missed.
        harness.Time.Advance(TimeSpan.FromMinutes(151));
        var collecting = CollectAsync(events, e => e is JobMisfired { ScheduledAt.Hour: 11 });
        await harness.RunUntilAsync(At(11, 30));
        var misfired = await collecting;
        Assert.Equal([At(9), At(10), At(11)], misfired.OfType<JobMisfired>().Select(e => e.ScheduledAt));

        // A live lease of the same (campaign, kind) held elsewhere: the 12:00 fire is skipped.
        await harness.Store.TryAcquireLeaseAsync("c", RecordingJob.KindName, "another-host", TimeSpan.FromHours(2));
        collecting = CollectAsync(events, e => e is JobSkipped);
        await harness.RunUntilAsync(At(12, 1));
        var skipped = Assert.IsType<JobSkipped>((await collecting)[^1]);
        Assert.Equal(At(12), skipped.ScheduledAt);
        Assert.Contains("another-host", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PipelineJob_RunEventsAreStreamedTaggedWithTheJobAndSchedule()
    {
        await using var harness = new SchedulerHarness(
            Start,
            o => o.Schedules.Add(new JobSchedule { Id = "harvest", CampaignId = "c", JobKind = JobKinds.Pipeline, Cron = "0 9 * * *" }),
            b => b.AddLeadSource(new SyntheticLeadSource(25, seed: 3)).AddEmailSender(new RecordingEmailSender()));
        await harness.InitializeAsync();
        var stream = harness.Services.GetRequiredService<IJobEventStream>();
        await using var events = stream.SubscribeAsync("c").GetAsyncEnumerator();
        var collecting = CollectAsync(events, e => e is JobCompleted);

        await harness.RunUntilAsync(At(9, 1));
        var seen = await collecting;

        var completed = Assert.IsType<JobCompleted>(seen[^1]);
        var runEvents = seen.OfType<JobRunEvent>().ToList();
        Assert.IsType<RunStarted>(runEvents[0].Event);
        var runCompleted = Assert.IsType<RunCompleted>(runEvents[^1].Event);
        Assert.All(runEvents, e => Assert.Equal((completed.JobId, "harvest", completed.Result.RunId!.Value), (e.JobId, e.ScheduleId, e.Event.RunId)));
        Assert.True(runCompleted.Result.IsBalanced);
        Assert.Equal(25, runCompleted.Result.Harvested);
        Assert.IsType<JobStarted>(seen[0]);
    }
}
