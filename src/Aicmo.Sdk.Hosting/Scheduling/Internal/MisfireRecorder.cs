using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>Records the occurrences a look found missed: one <see cref="JobStatus.Misfired"/> result and event each, a log line and the metric.</summary>
internal sealed class MisfireRecorder(IJobStore store, JobEventHub events, ILogger logger, string hostId)
{
    /// <summary>The most missed occurrences recorded one by one per look (the newest); older ones are only counted in the log.</summary>
    public const int MaxRecords = 100;

    /// <summary>Records <paramref name="missed"/> and counts <paramref name="dropped"/> older ones in the log and metric only.</summary>
    public async Task RecordAsync(JobSchedule schedule, List<DateTimeOffset> missed, int dropped, DateTimeOffset now)
    {
        if (missed.Count == 0)
        {
            return;
        }

        SchedulerLog.Misfired(logger, schedule.Id, missed.Count + dropped, missed[0], missed[^1], schedule.Misfire);
        SchedulerMetrics.Misfires.Add(missed.Count + dropped, SchedulerMetrics.Kind(schedule.JobKind));
        foreach (var occurrence in missed.Skip(Math.Max(0, missed.Count - MaxRecords)))
        {
            var reason = $"missed by {now - occurrence} (misfire threshold {schedule.MisfireThreshold}, policy {schedule.Misfire})";
            var misfire = new JobResult
            {
                Id = Guid.CreateVersion7(now),
                ScheduleId = schedule.Id,
                CampaignId = schedule.CampaignId,
                JobKind = schedule.JobKind,
                Status = JobStatus.Misfired,
                ScheduledAt = occurrence,
                CompletedAt = now,
                Error = reason,
                Host = hostId,
            };
            await store.AppendResultAsync(misfire, null, CancellationToken.None).ConfigureAwait(false);
            events.Publish(new JobMisfired(misfire.Id, schedule.Id, schedule.CampaignId, schedule.JobKind, occurrence, now, reason));
        }
    }
}
