using System.Globalization;
using Aicmo.Sdk.AspNetCore.Alerts;
using Aicmo.Sdk.AspNetCore.Alerts.Internal;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.AspNetCore.Dashboard.Internal;

/// <summary>
/// Reads a campaign's snapshot from the stores: the aggregate counts (<see cref="ILeadStatistics"/>), its recent runs and job
/// results, and from them its alerts and its health: <c>failing</c> when the last <see cref="AicmoAlertOptions.ConsecutiveFailedRuns"/>
/// runs failed, <c>degraded</c> when any other alert is open or the last run or job did not end cleanly, <c>healthy</c> otherwise.
/// </summary>
internal sealed class CampaignSnapshotReader(
    ILeadStatistics statistics,
    IRunRepository runs,
    IJobStore jobs,
    TimeProvider time,
    IOptions<AicmoAlertOptions> options)
{
    private const int RecentJobs = 20;

    public async Task<CampaignSnapshot> ReadAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var stats = await statistics.GetCampaignStatisticsAsync(
            new LeadStatisticsQuery { CampaignId = campaign.Id, CreatedSince = StartOfWeek(now), SentSince = StartOfDay(now) },
            cancellationToken).ConfigureAwait(false);
        var all = await runs.ListAsync(campaign.Id, cancellationToken).ConfigureAwait(false);
        long harvested = 0, duplicates = 0, suppressed = 0;
        foreach (var run in all)
        {
            harvested += run.Harvested;
            duplicates += run.Duplicates;
            suppressed += run.Stages.Sum(s => s.Suppressed);
        }

        var recent = all.Take(o.RecentRuns).ToList();
        var failedInARow = 0;
        foreach (var run in recent.Where(r => r.Status != PipelineRunStatus.Running))
        {
            if (run.Status != PipelineRunStatus.Failed)
            {
                break;
            }

            failedInARow++;
        }

        var jobResults = await jobs.QueryResultsAsync(new JobResultQuery { CampaignId = campaign.Id, Take = RecentJobs }, cancellationToken).ConfigureAwait(false);
        var alerts = Alerts(campaign, stats, recent, failedInARow, jobResults, now, o);
        var lastEnded = recent.FirstOrDefault(r => r.Status != PipelineRunStatus.Running);
        var lastJob = jobResults.Count > 0 ? jobResults[0] : null;
        var health = failedInARow >= o.ConsecutiveFailedRuns ? CampaignSnapshot.Failing
            : alerts.Count > 0
              || lastEnded?.Status is PipelineRunStatus.Failed or PipelineRunStatus.CompletedWithErrors
              || lastJob?.Status is JobStatus.Failed or JobStatus.Misfired ? CampaignSnapshot.Degraded
            : CampaignSnapshot.Healthy;
        return new CampaignSnapshot(campaign, stats, recent, harvested, duplicates, suppressed, failedInARow, jobResults, alerts, health, now);
    }

    /// <summary>The start of the UTC day of <paramref name="now"/>: "sends today".</summary>
    public static DateTimeOffset StartOfDay(DateTimeOffset now) => new(now.UtcDateTime.Date, TimeSpan.Zero);

    /// <summary>Monday 00:00 UTC of the ISO week of <paramref name="now"/>: "leads this week".</summary>
    public static DateTimeOffset StartOfWeek(DateTimeOffset now)
    {
        var day = StartOfDay(now);
        var sinceMonday = ((int)day.DayOfWeek + 6) % 7;
        return day.AddDays(-sinceMonday);
    }

    private static List<AlertResponse> Alerts(
        Campaign campaign, CampaignLeadStatistics stats, List<RunRecord> recent, int failedInARow, IReadOnlyList<JobResult> jobs, DateTimeOffset now, AicmoAlertOptions o)
    {
        var alerts = new List<AlertResponse>();
        var c = CultureInfo.InvariantCulture;
        if (failedInARow >= o.ConsecutiveFailedRuns)
        {
            var since = recent.Take(failedInARow).Last().StartedAt;
            alerts.Add(new AlertResponse(
                $"{AlertTypes.ConsecutiveFailedRuns}:{campaign.Id}", AlertTypes.ConsecutiveFailedRuns, AlertTypes.Critical, campaign.Id,
                "Runs keep failing", string.Create(c, $"The last {failedInARow} runs of '{campaign.Name ?? campaign.Id}' failed."),
                failedInARow, o.ConsecutiveFailedRuns, since));
        }

        if (recent.FirstOrDefault(r => r.Status != PipelineRunStatus.Running) is { } last)
        {
            var stored = last.Harvested - last.Duplicates;
            var quarantined = last.Stages.Sum(s => s.Quarantined);
            if (stored >= o.MinimumSampleSize && (double)quarantined / stored > o.QuarantineRateThreshold)
            {
                var rate = (double)quarantined / stored;
                alerts.Add(new AlertResponse(
                    $"{AlertTypes.QuarantineRate}:{campaign.Id}", AlertTypes.QuarantineRate, AlertTypes.Warning, campaign.Id,
                    "Many leads quarantined", string.Create(c, $"The last run quarantined {quarantined} of {stored} leads ({rate:P1})."),
                    rate, o.QuarantineRateThreshold, last.CompletedAt ?? last.StartedAt));
            }
        }

        var attempted = stats.EmailsSent + stats.EmailsFailed;
        if (attempted >= o.MinimumSampleSize && (double)stats.EmailsFailed / attempted > o.SendFailureRateThreshold)
        {
            var rate = (double)stats.EmailsFailed / attempted;
            alerts.Add(new AlertResponse(
                $"{AlertTypes.SendFailureRate}:{campaign.Id}", AlertTypes.SendFailureRate, AlertTypes.Warning, campaign.Id,
                "Emails failing", string.Create(c, $"{stats.EmailsFailed} of {attempted} emails failed ({rate:P1})."),
                rate, o.SendFailureRateThreshold, null));
        }

        foreach (var misfire in jobs.Where(j => j.Status == JobStatus.Misfired && j.ScheduledAt >= now - o.MisfireWindow)
                     .GroupBy(j => j.ScheduleId ?? string.Empty))
        {
            var newest = misfire.MaxBy(j => j.ScheduledAt)!;
            alerts.Add(new AlertResponse(
                $"{AlertTypes.MisfiredSchedule}:{campaign.Id}:{misfire.Key}", AlertTypes.MisfiredSchedule, AlertTypes.Warning, campaign.Id,
                "Schedule misfired", string.Create(c, $"Schedule '{misfire.Key}' missed {misfire.Count()} occurrence(s), the last due {newest.ScheduledAt:u}."),
                misfire.Count(), null, newest.ScheduledAt));
        }

        return alerts;
    }
}
