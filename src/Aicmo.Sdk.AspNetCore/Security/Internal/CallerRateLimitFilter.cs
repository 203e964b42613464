using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Aicmo.Sdk.AspNetCore.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.AspNetCore.Security.Internal;

/// <summary>
/// Limits each caller (API key or user name; the remote address for anonymous callers) to a fixed number of requests per window.
/// An endpoint filter rather than middleware, so mapping the API is all a host does; it runs after authentication.
/// </summary>
internal sealed class CallerRateLimitFilter : IEndpointFilter, IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public CallerRateLimitFilter(IOptions<AicmoApiOptions> options)
    {
        var o = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(caller => RateLimitPartition.GetFixedWindowLimiter(
            caller,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = o.RateLimitPermits, Window = o.RateLimitWindow, QueueLimit = 0, AutoReplenishment = true }));
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        using var lease = _limiter.AttemptAcquire(Caller(http));
        if (lease.IsAcquired)
        {
            return await next(context).ConfigureAwait(false);
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Problems.Internal.Problems.Create(http, StatusCodes.Status429TooManyRequests, AicmoProblemTypes.RateLimited, "Too many requests.",
            "This caller made too many requests; see Retry-After.");
    }

    public void Dispose() => _limiter.Dispose();

    private static string Caller(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true
            ? "user:" + (http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? http.User.Identity.Name ?? "?")
            : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
