using System.Globalization;
using Aicmo.Sdk.Hosting.Internal;
using Aicmo.Sdk.Hosting.Tests.Support;
using Aicmo.Sdk.Scheduling;
using Microsoft.Extensions.Hosting;

namespace Aicmo.Sdk.Hosting.Tests.Scheduling;

/// <summary>The scheduler's loop in the host: when it looks at the store again.</summary>
public sealed class SchedulerHostedServiceTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 59, 0, TimeSpan.Zero);

    [Fact]
    public async Task MoreSchedulesDueThanFreeSlots_TheRestStartAsJobsEnd_NotAPollIntervalLater()
    {
        // A poll interval of an hour that simulated time never reaches: only a job's end can bring the next look.
        await using var harness = new SchedulerHarness(Start, o => o.MaxConcurrentJobs = 2);
        harness.Job.Behavior = static async (_, _) =>
        {
            await Task.Yield();
            return new JobOutcome { LeadsProcessed = 1 };
        };
        for (var i = 0; i < 6; i++)
        {
            var id = i.ToString(CultureInfo.InvariantCulture);
            await harness.Manager.CreateAsync(new JobSchedule { Id = "s" + id, CampaignId = "c" + id, JobKind = RecordingJob.KindName, Cron = "0 9 * * *" });
        }

        var service = harness.Services.GetServices<IHostedService>().OfType<SchedulerHostedService>().Single();
        await service.StartAsync(CancellationToken.None);
        try
        {
            harness.Time.Advance(TimeSpan.FromMinutes(1));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (harness.Job.Runs.Count < 6 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        Assert.Equal(6, harness.Job.Runs.Count);
        Assert.All(harness.Job.Runs, r => Assert.Equal(Start.AddMinutes(1), r.ScheduledAt));
        Assert.Equal(Start.AddMinutes(1), harness.Time.GetUtcNow());
    }
}
