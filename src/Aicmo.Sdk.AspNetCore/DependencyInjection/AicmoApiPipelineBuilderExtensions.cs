using Aicmo.Sdk.AspNetCore;
using Aicmo.Sdk.AspNetCore.Alerts;
using Aicmo.Sdk.AspNetCore.Alerts.Internal;
using Aicmo.Sdk.AspNetCore.Campaigns.Internal;
using Aicmo.Sdk.AspNetCore.Dashboard.Internal;
using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.AspNetCore.Problems.Internal;
using Aicmo.Sdk.AspNetCore.Runs.Internal;
using Aicmo.Sdk.AspNetCore.Security;
using Aicmo.Sdk.AspNetCore.Security.Internal;
using Aicmo.Sdk.AspNetCore.Webhooks.Internal;
using Aicmo.Sdk.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the HTTP API of a lead pipeline; map it with <c>app.MapAicmoApi("/api/v1")</c>.</summary>
public static class AicmoApiPipelineBuilderExtensions
{
    /// <summary>
    /// Adds what the API needs: API-key authentication and the scope policies, problem details, health checks, the OpenAPI
    /// document, the registry of live runs, and WebSocket support. The options are validated at start-up: without API keys,
    /// the host's own policies or an explicit <see cref="AicmoApiOptions.AllowAnonymous"/>, the host does not start.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="configure">Configures keys, policies and limits; see <see cref="AicmoApiOptions"/>.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder AddAicmoApi(this IAicmoPipelineBuilder builder, Action<AicmoApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptionsWithValidateOnStart<AicmoApiOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AicmoApiOptions>, AicmoApiOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApiKeyIndex>();
        services.TryAddSingleton<RunRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScheduledRunObserver, ScheduledRunTracker>());
        services.TryAddSingleton<CampaignWriteGate>();
        services.TryAddSingleton<ApiRoutes>();
        services.TryAddSingleton<CallerRateLimitFilter>();
        services.TryAddSingleton<ExceptionFilter>();
        services.AddOptionsWithValidateOnStart<AicmoAlertOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AicmoAlertOptions>, AicmoAlertOptionsValidator>());
        services.TryAddSingleton<CampaignSnapshotReader>();
        services.TryAddSingleton<EmailEventApplier>();
        services.TryAddSingleton<EmailEventLedger>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, WebSocketStartupFilter>());

        services.AddProblemDetails(o => o.CustomizeProblemDetails = c => Problems.Stamp(c.HttpContext, c.ProblemDetails));
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AicmoApiDefaults.AuthenticationScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AicmoApiDefaults.ReadPolicy, p => p.AddAuthenticationSchemes(AicmoApiDefaults.AuthenticationScheme).RequireClaim(AicmoApiDefaults.ScopeClaim, "read"))
            .AddPolicy(AicmoApiDefaults.OperatePolicy, p => p.AddAuthenticationSchemes(AicmoApiDefaults.AuthenticationScheme).RequireClaim(AicmoApiDefaults.ScopeClaim, "operate"))
            .AddPolicy(AicmoApiDefaults.AdminPolicy, p => p.AddAuthenticationSchemes(AicmoApiDefaults.AuthenticationScheme).RequireClaim(AicmoApiDefaults.ScopeClaim, "admin"));
        services.AddHealthChecks();
        services.AddOpenApi(AicmoApiDefaults.OpenApiDocumentName);
        return builder;
    }
}
