using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aicmo.Sdk.AspNetCore.Health.Internal;

/// <summary>
/// <c>/health</c> (every check), <c>/health/ready</c> (checks tagged <c>ready</c>: the stores reachable and migrated) and
/// <c>/health/live</c> (no checks: the process answers). Anonymous, so probes need no key; they show statuses, never details.
/// </summary>
internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static void Map(RouteGroupBuilder group)
    {
        group.MapHealthChecks("/health", Options(_ => true)).AllowAnonymous().WithTags("Health").WithDisplayName("Health");
        group.MapHealthChecks("/health/ready", Options(r => r.Tags.Contains(ReadyTag))).AllowAnonymous().WithTags("Health").WithDisplayName("Readiness");
        group.MapHealthChecks("/health/live", Options(_ => false)).AllowAnonymous().WithTags("Health").WithDisplayName("Liveness");
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        ResponseWriter = WriteAsync,
    };

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = (long)report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return JsonSerializer.SerializeAsync(http.Response.Body, body, JsonSerializerOptions.Web, http.RequestAborted);
    }
}
