using Aicmo.Sdk.Hosting.Tests.Support;
using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.Hosting.Tests.Scheduling;

/// <summary>Weeks of simulated time across the 2026 daylight-saving changes of America/New_York (8 March, 1 November) and Europe/London (29 March, 25 October).</summary>
public sealed class JobSchedulerDaylightSavingTests
{
    public static TheoryData<string, string, string, string> DailyCases => new()
    {
        // zone, time of day, first day, last day (inclusive, local)
        { "America/New_York", "30 2", "2026-02-25", "2026-04-05" },
        { "America/New_York", "30 1", "2026-10-20", "2026-11-15" },
        { "America/New_York", "30 2", "2026-10-20", "2026-11-15" },
        { "Europe/London", "30 1", "2026-03-15", "2026-04-12" },
        { "Europe/London", "30 1", "2026-10-11", "2026-11-08" },
        { "Europe/London", "30 2", "2026-03-15", "2026-11-08" },
    };

    [Theory]
    [MemberData(nameof(DailyCases))]
    public async Task DailyJob_AcrossDaylightSavingChanges_RunsExactlyOnceEachLocalDay(string zoneId, string minuteHour, string first, string last)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var firstDay = DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        var lastDay = DateOnly.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
        var start = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(firstDay.ToDateTime(TimeOnly.MinValue)));
        var end = TimeZoneInfo.ConvertTime(new DateTimeOffset(lastDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), zone);
        await using var harness = new SchedulerHarness(start, o => o.ResultRetention = TimeSpan.FromDays(3650));
        await harness.InitializeAsync();
        await harness.Manager.CreateAsync(new JobSchedule { Id = "daily", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = minuteHour + " * * *", TimeZone = zoneId });

        await harness.RunUntilAsync(start + (lastDay.DayNumber - firstDay.DayNumber + 1) * TimeSpan.FromDays(1) + TimeSpan.FromDays(1));

        var results = await harness.ResultsAsync("c");
        Assert.All(results, r => Assert.Equal(JobStatus.Completed, r.Status));
        var perDay = results.GroupBy(r => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(r.ScheduledAt, zone).DateTime)).ToDictionary(g => g.Key, g => g.Count());
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            Assert.True(perDay.TryGetValue(day, out var count) && count == 1, $"{zoneId} {minuteHour}: {day} ran {perDay.GetValueOrDefault(day)} time(s)");
        }

        Assert.Equal(results.Count, harness.Job.Runs.Count);
        Assert.All(results, r => Assert.Equal(TimeSpan.Zero, r.StartedAt!.Value - r.ScheduledAt));
    }

    [Theory]
    [InlineData("America/New_York", "2026-03-08", 23)]
    [InlineData("America/New_York", "2026-11-01", 25)]
    [InlineData("Europe/London", "2026-03-29", 23)]
    [InlineData("Europe/London", "2026-10-25", 25)]
    public async Task HourlyJob_OnTheDaylightSavingDay_FiresEveryRealHourNeitherSkippingNorDoubling(string zoneId, string day, int localDayHours)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
        var start = new DateTimeOffset(date.AddDays(-3).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var harness = new SchedulerHarness(start);
        await harness.InitializeAsync();
        await harness.Manager.CreateAsync(new JobSchedule { Id = "hourly", CampaignId = "c", JobKind = RecordingJob.KindName, Cron = "0 * * * *", TimeZone = zoneId });

        await harness.RunUntilAsync(start + TimeSpan.FromDays(7));

        var fires = (await harness.ResultsAsync("c")).Select(r => r.ScheduledAt).ToList();
        Assert.Equal(fires.Count, fires.Distinct().Count());
        for (var i = 1; i < fires.Count; i++)
        {
            Assert.Equal(TimeSpan.FromHours(1), fires[i] - fires[i - 1]);
        }

        Assert.Equal(localDayHours, fires.Count(f => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(f, zone).DateTime) == date));
        Assert.Equal(7 * 24, fires.Count);
    }
}
