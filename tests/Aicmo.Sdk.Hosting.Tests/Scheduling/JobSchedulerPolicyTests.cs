using Aicmo.Sdk.Hosting.Tests.Support;
using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.Hosting.Tests.Scheduling;

public sealed class JobSchedulerPolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 59, 30, TimeSpan.Zero);

    private static DateTimeOffset At(int hour, int minute = 0) => new(2026, 6, 1, hour, minute, 0, TimeSpan.Zero);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true within 30 seconds.");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Overlap_WhileTheCampaignsRunOfThatKindIsLive_RecordsSkippedWithoutWaitingForIt()
    {
        // The test moves simulated time by half an hour in one step: a lease longer than that keeps the live run's lease from
        // expiring before its renewal (which runs on its own timer) catches up, so the overlap, not a lost lease, is tested.
        await using var harness = new SchedulerHarness(Start, o => o.LeaseDuration = TimeSpan.FromHours(2));
        await harness.InitializeAsync();
        var release = new TaskCompletionSource<JobOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Job.Behavior = (_, token) => release.Task.WaitAsync(token);
        await harness.Manager.CreateAsync(new JobSchedule { Id = "at-nine", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = "0,1 9 * * *" });
        await harness.Manager.CreateAsync(new JobSchedule { Id = "other-schedule", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = "30 9 * * *" });

        harness.Time.Advance(At(9) - Start);
        await harness.Scheduler.TickAsync(CancellationToken.None);
        await WaitUntilAsync(() => Task.FromResult(harness.Job.Runs.Count == 1));

        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await harness.Scheduler.TickAsync(CancellationToken.None);
        await WaitUntilAsync(async () => (await harness.ResultsAsync("c")).Count == 1 && harness.Scheduler.RunningJobs == 1);

        var skipped = Assert.Single(await harness.ResultsAsync("c"));
        Assert.Equal((JobStatus.Skipped, At(9, 1), "at-nine"), (skipped.Status, skipped.ScheduledAt, skipped.ScheduleId));
        Assert.Contains(harness.Scheduler.HostId, skipped.Error, StringComparison.Ordinal);
        Assert.Single(harness.Job.Runs);

        harness.Time.Advance(TimeSpan.FromMinutes(29));
        await harness.Scheduler.TickAsync(CancellationToken.None);
        await WaitUntilAsync(async () => (await harness.ResultsAsync("c")).Count(r => r.Status == JobStatus.Skipped) == 2);

        release.SetResult(new JobOutcome());
        await harness.Scheduler.WhenIdleAsync();
        var results = await harness.ResultsAsync("c");
        Assert.Equal(JobStatus.Completed, results.Single(r => r.ScheduledAt == At(9)).Status);
        Assert.Equal(2, results.Count(r => r.Status == JobStatus.Skipped && r.ScheduleId is "at-nine" or "other-schedule"));
        Assert.Single(harness.Job.Runs);
    }

    [Fact]
    public async Task Overlap_OtherCampaignOrKind_RunsAlongside()
    {
        await using var harness = new SchedulerHarness(Start);
        await harness.InitializeAsync();
        var release = new TaskCompletionSource<JobOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Job.Behavior = (_, token) => release.Task.WaitAsync(token);
        await harness.Manager.CreateAsync(new JobSchedule { Id = "a", CampaignId = "a", JobKind = RecordingJob.KindName, Cron = "0 9 * * *" });
        await harness.Manager.CreateAsync(new JobSchedule { Id = "b", CampaignId = "b", JobKind = RecordingJob.KindName, Cron = "0 9 * * *" });

        harness.Time.Advance(At(9) - Start);
        await harness.Scheduler.TickAsync(CancellationToken.None);
        await WaitUntilAsync(() => Task.FromResult(harness.Job.Runs.Count == 2));

        release.SetResult(new JobOutcome());
        await harness.Scheduler.WhenIdleAsync();
        Assert.Equal(JobStatus.Completed, Assert.Single(await harness.ResultsAsync("a")).Status);
        Assert.Equal(JobStatus.Completed, Assert.Single(await harness.ResultsAsync("b")).Status);
    }

    [Fact]
    public async Task Retry_FailingTwice_RetriesWithExponentialBackoffApartFromTheSchedule()
    {
        await using var harness = new SchedulerHarness(Start);
        await harness.InitializeAsync();
        harness.Job.Behavior = (context, _) => context.Attempt < 3
            ? throw new InvalidOperationException("vendor down")
            : Task.FromResult(new JobOutcome { LeadsProcessed = 7 });
        await harness.Manager.CreateAsync(new JobSchedule
        {
            Id = "daily", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = "0 9 * * *",
            Retry = new JobRetryPolicy { MaxRetries = 3, BaseDelay = TimeSpan.FromMinutes(1), MaxDelay = TimeSpan.FromHours(1), UseJitter = false },
        });

        await harness.RunUntilAsync(At(10));

        var results = await harness.ResultsAsync("c");
        Assert.Equal(
            [(1, JobStatus.Failed, At(9, 0)), (2, JobStatus.Failed, At(9, 1)), (3, JobStatus.Completed, At(9, 3))],
            results.Select(r => (r.Attempt, r.Status, r.StartedAt!.Value)));
        Assert.All(results, r => Assert.Equal(At(9), r.ScheduledAt));
        Assert.Equal("InvalidOperationException: vendor down", results[0].Error);
        Assert.Equal(7, results[2].LeadsProcessed);
        Assert.Equal(At(9).AddDays(1), (await harness.Manager.GetAsync("daily"))!.NextFireAt);
    }

    [Fact]
    public async Task Retry_AlwaysFailing_StopsAfterMaxRetriesAndWaitsForTheNextOccurrence()
    {
        await using var harness = new SchedulerHarness(Start);
        await harness.InitializeAsync();
        harness.Job.Behavior = (_, _) => Task.FromResult(new JobOutcome { Status = JobStatus.Failed, Error = "no" });
        await harness.Manager.CreateAsync(new JobSchedule
        {
            Id = "daily", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = "0 9 * * *",
            Retry = new JobRetryPolicy { MaxRetries = 1, BaseDelay = TimeSpan.FromMinutes(5), UseJitter = false },
        });

        await harness.RunUntilAsync(At(9).AddDays(1).AddMinutes(1));

        var attempts = (await harness.ResultsAsync("c")).Select(r => (r.ScheduledAt, r.Attempt, r.StartedAt!.Value)).ToList();
        Assert.Equal(
            [(At(9), 1, At(9)), (At(9), 2, At(9, 5)), (At(9).AddDays(1), 1, At(9).AddDays(1))],
            attempts);
        Assert.Equal(1, await harness.Scheduler.CountPendingRetriesAsync()); // the second occurrence's own retry, due at 09:05
    }

    [Fact]
    public async Task PauseAndResume_NoFireWhilePausedAndNoMisfireBurstAfter()
    {
        await using var harness = new SchedulerHarness(Start);
        await harness.InitializeAsync();
        await harness.Manager.CreateAsync(new JobSchedule { Id = "hourly", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = "0 * * * *", Misfire = MisfirePolicy.CatchUp });

        await harness.RunUntilAsync(At(10, 30));
        var paused = await harness.Manager.PauseAsync("hourly");
        Assert.Equal((false, (DateTimeOffset?)null), (paused!.Enabled, paused.NextFireAt));
        await harness.RunUntilAsync(At(14, 30));
        Assert.Equal([At(9), At(10)], harness.Job.Runs.Select(r => r.ScheduledAt));

        var resumed = await harness.Manager.ResumeAsync("hourly");
        Assert.Equal((true, (DateTimeOffset?)At(15)), (resumed!.Enabled, resumed.NextFireAt));
        await harness.RunUntilAsync(At(16, 30));

        Assert.Equal([At(9), At(10), At(15), At(16)], harness.Job.Runs.Select(r => r.ScheduledAt));
        Assert.DoesNotContain(await harness.ResultsAsync("c"), r => r.Status != JobStatus.Completed);
    }

    [Fact]
    public async Task Retention_ResultsOlderThanTheSetting_AreDeleted()
    {
        await using var harness = new SchedulerHarness(Start, o => o.ResultRetention = TimeSpan.FromDays(2));
        await harness.InitializeAsync();
        await harness.Manager.CreateAsync(new JobSchedule { Id = "daily", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = "0 9 * * *" });

        await harness.RunUntilAsync(At(12).AddDays(5));

        var kept = (await harness.ResultsAsync("c")).Select(r => r.ScheduledAt).ToList();
        Assert.Equal([At(9).AddDays(4), At(9).AddDays(5)], kept);
        Assert.Equal(6, harness.Job.Runs.Count);
    }

    [Fact]
    public async Task FencedResult_AfterTheLeaseWasTakenOver_IsNotRecordedAndTheJobIsCancelled()
    {
        await using var harness = new SchedulerHarness(Start, o =>
        {
            o.LeaseDuration = TimeSpan.FromMinutes(1);
            o.LeaseRenewInterval = TimeSpan.FromSeconds(20);
        });
        await harness.InitializeAsync();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Job.Behavior = async (_, token) =>
        {
            await using var registration = token.Register(() => cancelled.TrySetResult());
            await cancelled.Task;
            return new JobOutcome();
        };
        await harness.Manager.CreateAsync(new JobSchedule { Id = "daily", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = "0 9 * * *" });
        harness.Time.Advance(At(9) - Start);
        await harness.Scheduler.TickAsync(CancellationToken.None);
        await WaitUntilAsync(() => Task.FromResult(harness.Job.Runs.Count == 1));

        // The lease is taken from under the job (as a host whose renewals stalled past the expiry would find it).
        var held = (await harness.Store.GetLeaseAsync("c", RecordingJob.KindName))!;
        Assert.True(await harness.Store.ReleaseLeaseAsync(held));
        var thief = await harness.Store.TryAcquireLeaseAsync("c", RecordingJob.KindName, "other-host", TimeSpan.FromHours(1));
        harness.Time.Advance(TimeSpan.FromSeconds(20));
        await harness.Scheduler.WhenIdleAsync();

        Assert.True(cancelled.Task.IsCompleted);
        Assert.Empty(await harness.ResultsAsync("c"));
        Assert.Equal(thief!.FencingToken, (await harness.Store.GetLeaseAsync("c", RecordingJob.KindName))!.FencingToken);
    }
}
