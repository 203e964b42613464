using Aicmo.Sdk.AspNetCore.Dashboard.Internal;
using Aicmo.Sdk.AspNetCore.Health.Internal;
using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.AspNetCore.Security;
using Aicmo.Sdk.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aicmo.Sdk.AspNetCore.Alerts.Internal;

/// <summary>
/// <c>GET /alerts</c>: every campaign's alerts (consecutive failed runs, quarantine rate, send-failure rate, misfired schedules) and
/// one critical alert per store health check (tagged <c>ready</c>) that is unhealthy. Evaluated on each request; nothing is kept.
/// </summary>
internal static class AlertEndpoints
{
    public static void Map(RouteGroupBuilder group, ApiPolicies policies) =>
        group.MapGet("/alerts", ListAsync).WithTags("Dashboard").WithName("ListAlerts")
            .WithSummary("The open alerts with their severity, critical first.").Require(policies, AicmoApiScopes.Read);

    internal static async Task<Ok<AlertsResponse>> ListAsync(
        HttpContext http, ICampaignRepository campaigns, CampaignSnapshotReader reader, HealthCheckService health, TimeProvider time)
    {
        var alerts = new List<AlertResponse>();
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(HealthEndpoints.ReadyTag), http.RequestAborted).ConfigureAwait(false);
        foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            alerts.Add(new AlertResponse(
                $"{AlertTypes.StoreUnhealthy}:{name}", AlertTypes.StoreUnhealthy, AlertTypes.Critical, null,
                "Store unreachable", $"Health check '{name}' is unhealthy{(entry.Description is { Length: > 0 } d ? ": " + d : ".")}", null, null, time.GetUtcNow()));
        }

        foreach (var campaign in await campaigns.ListAsync(http.RequestAborted).ConfigureAwait(false))
        {
            if (campaign.ArchivedAt is null)
            {
                alerts.AddRange((await reader.ReadAsync(campaign, http.RequestAborted).ConfigureAwait(false)).Alerts);
            }
        }

        return TypedResults.Ok(new AlertsResponse(
            [.. alerts.OrderBy(a => a.Severity == AlertTypes.Critical ? 0 : 1).ThenBy(a => a.Id, StringComparer.Ordinal)], time.GetUtcNow()));
    }
}
