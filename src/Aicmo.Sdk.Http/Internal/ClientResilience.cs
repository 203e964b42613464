using Aicmo.Sdk.Http.Security;
using Microsoft.Extensions.Http.Resilience;

namespace Aicmo.Sdk.Http.Internal;

/// <summary>The settings of a provider's resilience pipeline, whichever options type carries them.</summary>
internal sealed record ClientResilience(
    TimeSpan AttemptTimeout,
    TimeSpan TotalTimeout,
    int MaxRetryAttempts,
    TimeSpan RetryBaseDelay,
    bool RetryPost,
    double BreakerFailureRatio,
    int BreakerMinimumThroughput,
    TimeSpan BreakerBreakDuration)
{
    /// <summary>Applies the settings to the standard pipeline (total timeout → retry → circuit breaker → attempt timeout).</summary>
    /// <param name="resilience">The standard pipeline's options.</param>
    public void ApplyTo(HttpStandardResilienceOptions resilience)
    {
        resilience.AttemptTimeout.Timeout = AttemptTimeout;
        resilience.TotalRequestTimeout.Timeout = TotalTimeout;
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, 2 * AttemptTimeout.Ticks));
        resilience.CircuitBreaker.FailureRatio = BreakerFailureRatio;
        resilience.CircuitBreaker.MinimumThroughput = BreakerMinimumThroughput;
        resilience.CircuitBreaker.BreakDuration = BreakerBreakDuration;

        var retry = resilience.Retry;
        retry.MaxRetryAttempts = Math.Max(1, MaxRetryAttempts);
        retry.Delay = RetryBaseDelay;
        retry.ShouldRetryAfterHeader = true;

        // A connection the endpoint guard refused is final: retrying it would only ask again.
        var retries = MaxRetryAttempts > 0;
        retry.ShouldHandle = args => ValueTask.FromResult(retries && !IsGuardRefusal(args.Outcome.Exception) && HttpClientResiliencePredicates.IsTransient(args.Outcome));
        if (!RetryPost)
        {
            retry.DisableForUnsafeHttpMethods();
        }
    }

    private static bool IsGuardRefusal(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DisallowedEndpointException)
            {
                return true;
            }
        }

        return false;
    }
}
