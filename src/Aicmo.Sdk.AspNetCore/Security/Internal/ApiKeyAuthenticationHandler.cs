using System.Security.Claims;
using System.Text.Encodings.Web;
using Aicmo.Sdk.AspNetCore.Problems;
using Aicmo.Sdk.AspNetCore.Problems.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Aicmo.Sdk.AspNetCore.Security.Internal;

/// <summary>
/// Authenticates callers by API key (<c>X-Api-Key</c> or <c>Authorization: ApiKey …</c>): the presented key is hashed and looked up
/// among the configured hashes, so the keys themselves are never held. Challenges and refusals answer with problem details.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyIndex keys) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!keys.TryFind(presented, out var key))
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, key.Name), new(ClaimTypes.NameIdentifier, "apikey:" + key.Name) };
        var scopes = key.Scopes;
        if ((scopes & AicmoApiScopes.Admin) != 0)
        {
            scopes |= AicmoApiScopes.Operate;
        }

        if ((scopes & AicmoApiScopes.Operate) != 0)
        {
            scopes |= AicmoApiScopes.Read;
        }

        foreach (var (scope, claim) in new[] { (AicmoApiScopes.Read, "read"), (AicmoApiScopes.Operate, "operate"), (AicmoApiScopes.Admin, "admin") })
        {
            if ((scopes & scope) != 0)
            {
                claims.Add(new Claim(AicmoApiDefaults.ScopeClaim, claim));
            }
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "ApiKey";
        var detail = Presented(Request) is null
            ? $"Send an API key in the {AicmoApiDefaults.ApiKeyHeader} header or as 'Authorization: ApiKey <key>'."
            : "The API key is not valid.";
        await Problems.Internal.Problems.Create(Context, StatusCodes.Status401Unauthorized, AicmoProblemTypes.Unauthenticated, "Authentication required.", detail)
            .ExecuteAsync(Context).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Internal.Problems.Create(Context, StatusCodes.Status403Forbidden, AicmoProblemTypes.Forbidden, "Forbidden.", "The API key's scopes do not allow this.")
            .ExecuteAsync(Context);

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue(AicmoApiDefaults.ApiKeyHeader, out var header) && !StringValues.IsNullOrEmpty(header))
        {
            return header.Count == 1 ? header.ToString().Trim() : string.Empty;
        }

        var authorization = request.Headers.Authorization.ToString();
        const string Prefix = "ApiKey ";
        return authorization.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? authorization[Prefix.Length..].Trim() : null;
    }
}
