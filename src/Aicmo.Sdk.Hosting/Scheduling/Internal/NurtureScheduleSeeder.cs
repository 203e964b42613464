using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>Adds the nurture pass of every campaign that has none (<see cref="SchedulerOptions.NurturePass"/>): follow-ups go out with no user code.</summary>
internal sealed class NurtureScheduleSeeder(IJobStore store, ICampaignRepository campaigns, SchedulerOptions options, ILogger logger)
{
    /// <summary>Adds the missing nurture schedules, each due from <paramref name="now"/>; another host adding one first is no error.</summary>
    public async Task EnsureAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var all = await campaigns.ListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var campaign in all)
        {
            var id = "nurture:" + campaign.Id;
            if (await store.GetScheduleAsync(id, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            var schedule = ScheduleManager.WithNextFire(
                new JobSchedule
                {
                    Id = id,
                    CampaignId = campaign.Id,
                    JobKind = JobKinds.Nurture,
                    Cron = options.NurturePassCron,
                    TimeZone = "UTC",
                    Misfire = MisfirePolicy.RunOnce,
                    Retry = new JobRetryPolicy { MaxRetries = 0 },
                },
                now) with { Version = 1, UpdatedAt = now };
            if (await store.TryAddScheduleAsync(schedule, cancellationToken).ConfigureAwait(false))
            {
                SchedulerLog.ScheduleAdded(logger, id, schedule.JobKind, schedule.CampaignId, schedule.NextFireAt);
            }
        }
    }
}
