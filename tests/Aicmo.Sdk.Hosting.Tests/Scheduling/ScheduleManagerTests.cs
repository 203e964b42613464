using Aicmo.Sdk.Hosting.Tests.Support;
using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.Hosting.Tests.Scheduling;

public sealed class ScheduleManagerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Preview_AcrossSpringForward_ListsOneOccurrencePerDayInTheScheduleZone()
    {
        await using var harness = new SchedulerHarness(Now);
        var schedule = new JobSchedule { Id = "p", CampaignId = "c", Cron = "30 2 * * *", TimeZone = "America/New_York" };

        var preview = harness.Manager.Preview(schedule, Now, 4);

        Assert.Equal(
            ["2026-03-07T02:30:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00", "2026-03-10T02:30:00-04:00"],
            preview.Select(p => p.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Preview_SecondsCron_IsReadWithSeconds()
    {
        await using var harness = new SchedulerHarness(Now);
        var preview = harness.Manager.Preview(new JobSchedule { Id = "s", CampaignId = "c", Cron = "*/15 * * * * *" }, Now, 3);

        Assert.Equal([Now.AddSeconds(15), Now.AddSeconds(30), Now.AddSeconds(45)], preview);
    }

    [Fact]
    public async Task CreateAsync_StoresTheScheduleWithItsFirstOccurrence()
    {
        await using var harness = new SchedulerHarness(Now);

        var created = await harness.Manager.CreateAsync(new JobSchedule { Id = "h", CampaignId = "c", Cron = "0 * * * *" });

        Assert.Equal((Now.AddHours(1), 1L), (created.NextFireAt!.Value, created.Version));
        Assert.Equal(created, await harness.Manager.GetAsync("h"));
        Assert.Equal([created], await harness.Manager.ListAsync("c"));
        Assert.Empty(await harness.Manager.ListAsync("other"));
    }

    [Theory]
    [InlineData("not a cron", "UTC", "Cron")]
    [InlineData("0 * * * *", "Mars/Olympus_Mons", "Mars/Olympus_Mons")]
    public async Task CreateAsync_InvalidCronOrZone_ThrowsNamingIt(string cron, string zone, string named)
    {
        await using var harness = new SchedulerHarness(Now);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => harness.Manager.CreateAsync(new JobSchedule { Id = "x", CampaignId = "c", Cron = cron, TimeZone = zone }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Null(await harness.Manager.GetAsync("x"));
    }

    [Fact]
    public async Task CreateAsync_UnknownJobKind_ThrowsNamingTheKinds()
    {
        await using var harness = new SchedulerHarness(Now);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => harness.Manager.CreateAsync(new JobSchedule { Id = "x", CampaignId = "c", Cron = "* * * * *", JobKind = "harvest-only" }));

        Assert.Contains("'harvest-only' is not a registered job kind", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_TakenId_Throws()
    {
        await using var harness = new SchedulerHarness(Now);
        await harness.Manager.CreateAsync(new JobSchedule { Id = "h", CampaignId = "c", Cron = "0 * * * *" });

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Manager.CreateAsync(new JobSchedule { Id = "h", CampaignId = "d", Cron = "0 * * * *" }));
    }

    [Fact]
    public async Task UpdateAsync_NewCron_ComputesTheNextOccurrenceAgain()
    {
        await using var harness = new SchedulerHarness(Now);
        await harness.Manager.CreateAsync(new JobSchedule { Id = "h", CampaignId = "c", Cron = "0 * * * *" });

        var updated = await harness.Manager.UpdateAsync(new JobSchedule { Id = "h", CampaignId = "c", Cron = "0 18 * * *", TimeZone = "Europe/London" });

        Assert.Equal((Now.AddHours(6), 2L), (updated!.NextFireAt!.Value, updated.Version));
        Assert.Null(await harness.Manager.UpdateAsync(new JobSchedule { Id = "missing", CampaignId = "c", Cron = "0 18 * * *" }));
    }

    [Fact]
    public async Task DeleteAsync_RemovesTheScheduleAndKeepsItsHistory()
    {
        await using var harness = new SchedulerHarness(Now);
        await harness.InitializeAsync();
        await harness.Manager.CreateAsync(new JobSchedule { Id = "h", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = "0 * * * *" });
        await harness.RunUntilAsync(Now.AddHours(2));

        Assert.True(await harness.Manager.DeleteAsync("h"));
        Assert.False(await harness.Manager.DeleteAsync("h"));
        await harness.RunUntilAsync(Now.AddHours(4));

        var history = await harness.Manager.HistoryAsync(new JobResultQuery { CampaignId = "c", ScheduleId = "h" });
        Assert.Equal([Now.AddHours(2), Now.AddHours(1)], history.Select(r => r.ScheduledAt));
        Assert.Equal(2, harness.Job.Runs.Count);
    }
}
