using System.Globalization;

namespace Aicmo.Sdk.Http.Internal;

/// <summary>Reads the rate-limit headers APIs send (<c>X-RateLimit-Remaining</c>/<c>X-RateLimit-Reset</c> and the IETF <c>RateLimit-Remaining</c>/<c>RateLimit-Reset</c>).</summary>
internal static class RateLimitHeaders
{
    private static readonly string[] RemainingNames = ["RateLimit-Remaining", "X-RateLimit-Remaining", "X-Rate-Limit-Remaining"];
    private static readonly string[] ResetNames = ["RateLimit-Reset", "X-RateLimit-Reset", "X-Rate-Limit-Reset"];

    /// <summary>How long to wait before the next request, when the response says no request is left in the current window.</summary>
    /// <param name="response">The response.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The wait, or <see cref="TimeSpan.Zero"/>.</returns>
    public static TimeSpan WaitBeforeNext(HttpResponseMessage response, DateTimeOffset now)
    {
        if (Read(response, RemainingNames) is not { } remaining || remaining > 0 || Read(response, ResetNames) is not { } reset)
        {
            return TimeSpan.Zero;
        }

        // A reset larger than a billion is a Unix time; a smaller one is seconds from now.
        var wait = reset > 1_000_000_000 ? DateTimeOffset.FromUnixTimeSeconds((long)reset) - now : TimeSpan.FromSeconds(reset);
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private static double? Read(HttpResponseMessage response, string[] names)
    {
        foreach (var name in names)
        {
            if (response.Headers.TryGetValues(name, out var values) &&
                double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return null;
    }
}
