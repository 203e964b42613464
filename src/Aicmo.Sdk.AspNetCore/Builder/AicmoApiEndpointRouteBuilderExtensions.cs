using Aicmo.Sdk.AspNetCore;
using Aicmo.Sdk.AspNetCore.Alerts.Internal;
using Aicmo.Sdk.AspNetCore.Campaigns.Internal;
using Aicmo.Sdk.AspNetCore.Dashboard.Internal;
using Aicmo.Sdk.AspNetCore.Health.Internal;
using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.AspNetCore.Leads.Internal;
using Aicmo.Sdk.AspNetCore.Live.Internal;
using Aicmo.Sdk.AspNetCore.People.Internal;
using Aicmo.Sdk.AspNetCore.Problems.Internal;
using Aicmo.Sdk.AspNetCore.Runs.Internal;
using Aicmo.Sdk.AspNetCore.Schedules.Internal;
using Aicmo.Sdk.AspNetCore.Security;
using Aicmo.Sdk.AspNetCore.Security.Internal;
using Aicmo.Sdk.AspNetCore.Webhooks.Internal;
using Aicmo.Sdk.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the lead pipeline's HTTP API registered with <c>AddAicmoApi</c>.</summary>
public static class AicmoApiEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the API under <paramref name="prefix"/>: campaigns, runs, live progress (SSE and WebSocket), leads, statistics, dashboards
    /// and alerts, the suppression list, erasure, mail-event webhooks, one-click unsubscribe, schedules (when the host added the
    /// scheduler with <c>AddScheduler</c>), health, and the OpenAPI document at <c>{prefix}/openapi/aicmo.json</c>. Every endpoint
    /// answers errors with problem details, is rate limited per caller, and needs a scope unless the options allow anonymous callers
    /// (health and the OpenAPI document are open to probes and tools; the webhook is authenticated by its signature and unsubscribe
    /// by its signed token).
    /// </summary>
    /// <param name="endpoints">The application.</param>
    /// <param name="prefix">The path prefix, for example <c>/api/v1</c>.</param>
    /// <returns>The route group, for the host's own conventions (CORS, more filters, metadata).</returns>
    public static RouteGroupBuilder MapAicmoApi(this IEndpointRouteBuilder endpoints, string prefix = "/api/v1")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var services = endpoints.ServiceProvider;
        var options = services.GetService<IOptions<AicmoApiOptions>>()?.Value
            ?? throw new InvalidOperationException("Call services.AddAicmoPipeline(...).AddAicmoApi(...) before MapAicmoApi.");
        services.GetRequiredService<ApiRoutes>().Prefix = prefix.TrimEnd('/');

        var group = endpoints.MapGroup(prefix)
            .WithGroupName(AicmoApiDefaults.OpenApiDocumentName)
            .AddEndpointFilter(services.GetRequiredService<ExceptionFilter>())
            .AddEndpointFilter(services.GetRequiredService<CallerRateLimitFilter>())
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        if (options.CorsPolicy is { } cors)
        {
            group.RequireCors(cors);
        }

        var policies = ApiPolicies.From(options);
        CampaignEndpoints.Map(group, policies);
        RunEndpoints.Map(group, policies);
        LiveEndpoints.Map(group, policies);
        LeadEndpoints.Map(group, policies);
        DashboardEndpoints.Map(group, policies);
        AlertEndpoints.Map(group, policies);
        CallerEndpoints.Map(group, policies);
        SuppressionEndpoints.Map(group, policies);
        ErasureEndpoints.Map(group, policies);
        EmailEventEndpoints.Map(group);
        UnsubscribeEndpoints.Map(group);
        if (services.GetService<IScheduleManager>() is not null)
        {
            ScheduleEndpoints.Map(group, policies);
        }

        HealthEndpoints.Map(group);
        group.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return group;
    }
}
