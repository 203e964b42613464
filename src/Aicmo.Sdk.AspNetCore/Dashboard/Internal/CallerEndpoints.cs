using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.AspNetCore.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Aicmo.Sdk.AspNetCore.Dashboard.Internal;

/// <summary>
/// <c>GET /me</c>: the caller's scopes, found by evaluating the same policies the endpoints require (the built-in API-key scopes or
/// the host's own policies), so the answer is what the server will enforce. The server refuses what a scope does not allow anyway.
/// </summary>
internal static class CallerEndpoints
{
    public static void Map(RouteGroupBuilder group, ApiPolicies policies) =>
        group.MapGet("/me", (HttpContext http, IAuthorizationService authorization) => MeAsync(http, authorization, policies))
            .WithTags("Dashboard").WithName("GetCaller").WithSummary("The caller's name and the scopes it holds (read, operate, admin).")
            .Require(policies, AicmoApiScopes.Read);

    internal static async Task<Ok<CallerResponse>> MeAsync(HttpContext http, IAuthorizationService authorization, ApiPolicies policies)
    {
        var scopes = new List<string>(3);
        foreach (var (scope, policy) in new[] { ("read", policies.Read), ("operate", policies.Operate), ("admin", policies.Admin) })
        {
            if (policies.Anonymous || (await authorization.AuthorizeAsync(http.User, null, policy).ConfigureAwait(false)).Succeeded)
            {
                scopes.Add(scope);
            }
        }

        return TypedResults.Ok(new CallerResponse(http.User.Identity?.Name, scopes));
    }
}
