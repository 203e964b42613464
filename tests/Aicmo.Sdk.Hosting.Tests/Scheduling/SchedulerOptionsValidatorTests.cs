using Aicmo.Sdk.Hosting.Tests.Support;
using Aicmo.Sdk.Scheduling;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Hosting.Tests.Scheduling;

public sealed class SchedulerOptionsValidatorTests
{
    private static OptionsValidationException Invalid(Action<SchedulerOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().AddScheduler(configure).AddScheduledJob<RecordingJob>();
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SchedulerOptions>>().Value);
    }

    [Fact]
    public void RenewIntervalNotShorterThanLease_FailsNamingBoth()
    {
        var error = Invalid(o => o.LeaseRenewInterval = o.LeaseDuration);

        Assert.Contains("LeaseRenewInterval", error.Message, StringComparison.Ordinal);
        Assert.Contains("LeaseDuration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PollIntervalOutOfRange_FailsNamingIt()
    {
        var error = Invalid(o => o.PollInterval = TimeSpan.FromHours(2));

        Assert.Contains("PollInterval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidSchedules_FailNamingEachByIndexAndProperty()
    {
        var error = Invalid(o =>
        {
            o.Schedules.Add(new JobSchedule { Id = "a", CampaignId = "c", Cron = "61 * * * *" });
            o.Schedules.Add(new JobSchedule { Id = "a", CampaignId = "", Cron = "* * * * *", Retry = new JobRetryPolicy { MaxRetries = -1 } });
        });

        Assert.Contains("Schedules[0].Cron", error.Message, StringComparison.Ordinal);
        Assert.Contains("Schedules[1].CampaignId", error.Message, StringComparison.Ordinal);
        Assert.Contains("Schedules[1].Retry.MaxRetries", error.Message, StringComparison.Ordinal);
        Assert.Contains("Schedules[1].Id 'a' is used by another schedule", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidOptions_Pass()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().AddScheduler(o => o.Schedules.Add(new JobSchedule { Id = "a", CampaignId = "c", Cron = "0 * * * *", TimeZone = "Asia/Tokyo" }));
        using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetRequiredService<IOptions<SchedulerOptions>>().Value.Schedules);
    }
}
