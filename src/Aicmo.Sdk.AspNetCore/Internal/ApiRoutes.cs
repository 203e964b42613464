using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.AspNetCore.Internal;

/// <summary>Where the API was mapped, so responses can give absolute paths (<c>Location</c>) under the host's prefix.</summary>
internal sealed class ApiRoutes
{
    public string Prefix { get; set; } = string.Empty;

    /// <summary>Returns an absolute path under the API's prefix (and the request's path base).</summary>
    public static string PathOf(HttpContext http, string relative) =>
        http.Request.PathBase + http.RequestServices.GetRequiredService<ApiRoutes>().Prefix + relative;
}
