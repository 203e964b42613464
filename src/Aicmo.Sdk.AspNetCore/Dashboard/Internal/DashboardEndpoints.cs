using Aicmo.Sdk.AspNetCore.Campaigns.Internal;
using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.AspNetCore.Runs.Internal;
using Aicmo.Sdk.AspNetCore.Security;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Aicmo.Sdk.AspNetCore.Dashboard.Internal;

/// <summary>System statistics, a campaign's dashboard and its status: served from the stores' aggregate queries.</summary>
internal static class DashboardEndpoints
{
    public static void Map(RouteGroupBuilder group, ApiPolicies policies)
    {
        group.MapGet("/statistics", StatisticsAsync).WithTags("Dashboard").WithName("GetStatistics")
            .WithSummary("System-wide statistics: campaigns, leads by state, conversion rates, sends today, each campaign's health.")
            .Require(policies, AicmoApiScopes.Read);
        var campaign = group.MapGroup("/campaigns/{id}").WithTags("Dashboard");
        campaign.MapGet("/dashboard", DashboardAsync).WithName("GetCampaignDashboard")
            .WithSummary("A campaign's funnel, outcomes, totals, health and alerts, recent runs and jobs.").Require(policies, AicmoApiScopes.Read);
        campaign.MapGet("/status", StatusAsync).WithName("GetCampaignStatus")
            .WithSummary("A campaign's health, the run going now and the last one that ended.").Require(policies, AicmoApiScopes.Read);
    }

    internal static async Task<Ok<SystemStatisticsResponse>> StatisticsAsync(
        HttpContext http, ICampaignRepository campaigns, CampaignSnapshotReader reader, TimeProvider time)
    {
        var all = (await campaigns.ListAsync(http.RequestAborted).ConfigureAwait(false)).Where(c => c.ArchivedAt is null).ToList();
        var byStatus = new Dictionary<LeadStatus, long>();
        long sendsToday = 0, thisWeek = 0, sent = 0;
        var summaries = new List<CampaignSummaryResponse>(all.Count);
        foreach (var campaign in all)
        {
            var s = await reader.ReadAsync(campaign, http.RequestAborted).ConfigureAwait(false);
            foreach (var (status, n) in s.Statistics.Counts)
            {
                byStatus[status] = byStatus.GetValueOrDefault(status) + n;
            }

            sendsToday += s.Statistics.EmailsSentSince;
            thisWeek += s.Statistics.LeadsCreatedSince;
            sent += s.Statistics.EmailsSent;
            summaries.Add(new CampaignSummaryResponse(
                campaign.Id, campaign.Name, campaign.Active, s.Health, LastRun(http, s), s.Statistics.Total,
                s.Statistics.LeadsCreatedSince, s.Statistics.EmailsSentSince, s.Alerts.Count));
        }

        var total = byStatus.Values.Sum();
        double? Rate(long n) => total == 0 ? null : Math.Round((double)n / total, 4);
        var rates = new Dictionary<string, double?>(StringComparer.Ordinal)
        {
            ["qualified"] = Rate(Funnel.ReachedQualified(byStatus)),
            ["routed"] = Rate(Funnel.ReachedRouted(byStatus)),
            ["contacted"] = Rate(Funnel.ReachedContacted(byStatus)),
            ["converted"] = Rate(byStatus.GetValueOrDefault(LeadStatus.Converted)),
        };
        return TypedResults.Ok(new SystemStatisticsResponse(
            all.Count, all.Count(c => c.Active), total, Funnel.ByStatus(byStatus), rates, sendsToday, thisWeek, sent, summaries, time.GetUtcNow()));
    }

    internal static async Task<Results<Ok<CampaignDashboardResponse>, ProblemHttpResult>> DashboardAsync(
        HttpContext http, ICampaignRepository campaigns, CampaignSnapshotReader reader, string id)
    {
        var found = await CampaignEndpoints.Find(http, campaigns, id).ConfigureAwait(false);
        if (found.Problem is not null)
        {
            return found.Problem;
        }

        var s = await reader.ReadAsync(found.Value!, http.RequestAborted).ConfigureAwait(false);
        var counts = s.Statistics.Counts;
        return TypedResults.Ok(new CampaignDashboardResponse(
            s.Campaign.Id, s.Campaign.Name, s.Campaign.Active, s.Health, s.ConsecutiveFailedRuns,
            Funnel.Steps(s), Funnel.Outcomes(s), s.Statistics.TopDisqualificationReasons,
            new DashboardTotalsResponse(s.Harvested, Funnel.ReachedQualified(counts), Funnel.ReachedRouted(counts), s.Statistics.EmailsSent),
            Funnel.ByStatus(counts), s.Statistics.LeadsCreatedSince, s.Statistics.EmailsSentSince, s.Statistics.EmailsFailed,
            [.. s.RecentRuns.Select(r => RunResponse.FromRecord(r, RunEndpoints.Links(http, r.RunId)))],
            [.. s.RecentJobs.Select(JobSummaryResponse.From)],
            s.Alerts, s.ReadAt));
    }

    internal static async Task<Results<Ok<CampaignStatusResponse>, ProblemHttpResult>> StatusAsync(
        HttpContext http, ICampaignRepository campaigns, CampaignSnapshotReader reader, RunRegistry registry, TimeProvider time, string id)
    {
        var found = await CampaignEndpoints.Find(http, campaigns, id).ConfigureAwait(false);
        if (found.Problem is not null)
        {
            return found.Problem;
        }

        var s = await reader.ReadAsync(found.Value!, http.RequestAborted).ConfigureAwait(false);
        RunResponse? current = null;
        if (s.RecentRuns.FirstOrDefault(r => r.Status == PipelineRunStatus.Running) is { } running)
        {
            var links = RunEndpoints.Links(http, running.RunId);
            current = registry.TryGet(running.RunId, out var live) && live.Result is null
                ? RunResponse.FromProgress(live.Run, live.Kind, live.DryRun, time.GetUtcNow(), links)
                : RunResponse.FromRecord(running, links);
        }

        return TypedResults.Ok(new CampaignStatusResponse(
            s.Campaign.Id, s.Campaign.Name, s.Campaign.Active, s.Campaign.ArchivedAt is not null, s.Health, s.ConsecutiveFailedRuns, s.Alerts.Count,
            current, LastRun(http, s), s.ReadAt));
    }

    private static RunResponse? LastRun(HttpContext http, CampaignSnapshot s)
    {
        var ended = s.RecentRuns.FirstOrDefault(r => r.Status != PipelineRunStatus.Running);
        return ended is null ? null : RunResponse.FromRecord(ended, RunEndpoints.Links(http, ended.RunId));
    }
}
