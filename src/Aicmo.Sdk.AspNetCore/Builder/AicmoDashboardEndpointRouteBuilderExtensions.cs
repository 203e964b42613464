using Aicmo.Sdk.AspNetCore.Dashboard.Internal;
using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.AspNetCore.Problems.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the dashboard page, a thin client of the API mapped by <c>MapAicmoApi</c>.</summary>
public static class AicmoDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the dashboard page under <paramref name="prefix"/>: an HTML page, one JavaScript module and one stylesheet, embedded in
    /// the assembly. The page itself holds no data and is open to anyone; it asks for an API key, keeps it in the browser tab's
    /// session storage and sends it in the API's header on every call (never in a URL), so it can do exactly what that key may
    /// do through the API. Responses carry a content security policy that allows no inline script. Call <c>MapAicmoApi</c> too.
    /// </summary>
    /// <param name="endpoints">The application.</param>
    /// <param name="prefix">The path of the page, for example <c>/dashboard</c>.</param>
    /// <returns>The route group of the page, for the host's own conventions.</returns>
    /// <exception cref="InvalidOperationException"><c>AddAicmoApi</c> was not called.</exception>
    public static RouteGroupBuilder MapAicmoDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/dashboard")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var routes = endpoints.ServiceProvider.GetService<ApiRoutes>()
            ?? throw new InvalidOperationException("Call services.AddAicmoPipeline(...).AddAicmoApi(...) and app.MapAicmoApi(...) before MapAicmoDashboard.");
        var trimmed = prefix.TrimEnd('/');
        var group = endpoints.MapGroup(trimmed).AllowAnonymous().ExcludeFromDescription();
        DashboardAsset? index = null;
        string? indexFor = null;

        Task Page(HttpContext http)
        {
            var basePath = http.Request.PathBase + trimmed;
            var key = basePath + "|" + http.Request.PathBase + routes.Prefix;
            if (index is null || indexFor != key)
            {
                (index, indexFor) = (DashboardAssets.Index(basePath, http.Request.PathBase + routes.Prefix), key);
            }

            return DashboardAssets.WriteAsync(http, index, immutable: false);
        }

        group.MapGet("/", Page).WithDisplayName("Aicmo dashboard");
        group.MapGet("/assets/{name}", (HttpContext http, string name) =>
            DashboardAssets.TryGet(name, out var asset)
                ? DashboardAssets.WriteAsync(http, asset, immutable: http.Request.Query.ContainsKey("v"))
                : Problems.NotFound(http, $"No dashboard asset '{name}'.").ExecuteAsync(http)).WithDisplayName("Aicmo dashboard assets");
        return group;
    }
}
