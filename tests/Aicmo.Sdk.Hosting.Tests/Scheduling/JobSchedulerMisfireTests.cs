using Aicmo.Sdk.Hosting.Tests.Support;
using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.Hosting.Tests.Scheduling;

public sealed class JobSchedulerMisfireTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 9, 30, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int hour, int minute = 0) => new(2026, 6, 1, hour, minute, 0, TimeSpan.Zero);

    /// <summary>The hourly job runs at 10:00, then the host is down from 10:00 to 13:10 (11:00, 12:00 and 13:00 are missed) and restarts.</summary>
    private static async Task<SchedulerHarness> DownForThreeHoursAsync(MisfirePolicy policy, int maxCatchUp = 3)
    {
        var harness = new SchedulerHarness(Start);
        await harness.InitializeAsync();
        await harness.Manager.CreateAsync(new JobSchedule
        {
            Id = "hourly", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = "0 * * * *", Misfire = policy, MaxCatchUp = maxCatchUp,
            MisfireThreshold = TimeSpan.FromMinutes(1),
        });
        await harness.RunUntilAsync(At(10, 0));
        Assert.Equal([At(10)], harness.Job.Runs.Select(r => r.ScheduledAt));

        harness.Time.Advance(At(13, 10) - harness.Time.GetUtcNow());
        await harness.RestartAsync();
        await harness.RunUntilAsync(At(13, 10));
        return harness;
    }

    [Fact]
    public async Task Skip_AfterThreeHoursDown_RunsNoneRecordsEachMissedOccurrenceAndGoesOnOnTime()
    {
        await using var harness = await DownForThreeHoursAsync(MisfirePolicy.Skip);

        Assert.Equal([At(10)], harness.Job.Runs.Select(r => r.ScheduledAt));
        var missed = (await harness.ResultsAsync("c")).Where(r => r.Status == JobStatus.Misfired).Select(r => r.ScheduledAt);
        Assert.Equal([At(11), At(12), At(13)], missed);
        Assert.Equal(At(14), (await harness.Manager.GetAsync("hourly"))!.NextFireAt);

        await harness.RunUntilAsync(At(14));
        Assert.Equal([At(10), At(14)], harness.Job.Runs.Select(r => r.ScheduledAt));
    }

    [Fact]
    public async Task RunOnce_AfterThreeHoursDown_RunsTheLatestMissedOccurrenceOnce()
    {
        await using var harness = await DownForThreeHoursAsync(MisfirePolicy.RunOnce);

        Assert.Equal([At(10), At(13)], harness.Job.Runs.Select(r => r.ScheduledAt));
        var results = await harness.ResultsAsync("c");
        Assert.Equal([At(11), At(12)], results.Where(r => r.Status == JobStatus.Misfired).Select(r => r.ScheduledAt));
        var late = results.Single(r => r.ScheduledAt == At(13));
        Assert.Equal((JobStatus.Completed, At(13, 10)), (late.Status, late.StartedAt!.Value));
    }

    [Fact]
    public async Task CatchUp_AfterThreeHoursDown_RunsAtMostNOfTheLatestMissedOneAfterAnother()
    {
        await using var harness = await DownForThreeHoursAsync(MisfirePolicy.CatchUp, maxCatchUp: 2);

        Assert.Equal([At(10), At(12), At(13)], harness.Job.Runs.Select(r => r.ScheduledAt));
        var results = await harness.ResultsAsync("c");
        Assert.Equal([At(11)], results.Where(r => r.Status == JobStatus.Misfired).Select(r => r.ScheduledAt));
        Assert.Equal(3, results.Count(r => r.Status == JobStatus.Completed));
    }

    [Fact]
    public async Task CatchUp_WithRoomForEveryMissedOccurrence_RunsThemAllInOrderAndRecordsNoMisfire()
    {
        await using var harness = await DownForThreeHoursAsync(MisfirePolicy.CatchUp, maxCatchUp: 10);

        Assert.Equal([At(10), At(11), At(12), At(13)], harness.Job.Runs.Select(r => r.ScheduledAt));
        Assert.DoesNotContain(await harness.ResultsAsync("c"), r => r.Status == JobStatus.Misfired);
    }

    [Fact]
    public async Task Skip_BackWithinTheThreshold_RunsTheLatestOccurrenceAsOnTime()
    {
        await using var harness = new SchedulerHarness(Start);
        await harness.InitializeAsync();
        await harness.Manager.CreateAsync(new JobSchedule
        {
            Id = "hourly", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = "0 * * * *", Misfire = MisfirePolicy.Skip, MisfireThreshold = TimeSpan.FromMinutes(5),
        });

        harness.Time.Advance(At(12, 4) - Start);
        await harness.RunUntilAsync(At(12, 4));

        Assert.Equal([At(12)], harness.Job.Runs.Select(r => r.ScheduledAt));
        Assert.Equal([At(10), At(11)], (await harness.ResultsAsync("c")).Where(r => r.Status == JobStatus.Misfired).Select(r => r.ScheduledAt));
    }
}
