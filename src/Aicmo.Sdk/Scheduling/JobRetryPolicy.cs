namespace Aicmo.Sdk.Scheduling;

/// <summary>
/// How a failed fire is retried, apart from the schedule: attempt <c>n + 1</c> starts <c>BaseDelay × 2^(n-1)</c> (at most
/// <see cref="MaxDelay"/>) after attempt <c>n</c> failed, randomized by ±50 % when <see cref="UseJitter"/> is on.
/// </summary>
public sealed record JobRetryPolicy
{
    /// <summary>Gets the retries after the first attempt.</summary>
    /// <value>The default value is 2. 0 turns retries off.</value>
    public int MaxRetries { get; init; } = 2;

    /// <summary>Gets the delay before the first retry.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the longest delay between two attempts.</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets whether delays are randomized (±50 %), so retries of many schedules do not start together.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseJitter { get; init; } = true;

    /// <summary>Returns the delay before attempt <paramref name="nextAttempt"/> (2 for the first retry).</summary>
    /// <param name="nextAttempt">The attempt about to be made, at least 2.</param>
    /// <param name="random">A number in [0, 1) for the jitter.</param>
    /// <returns>The delay.</returns>
    public TimeSpan DelayBefore(int nextAttempt, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nextAttempt, 2);
        var exponent = Math.Min(nextAttempt - 2, 30);
        var ticks = Math.Min(BaseDelay.Ticks * Math.Pow(2, exponent), MaxDelay.Ticks);
        if (UseJitter)
        {
            ticks *= 0.5 + random;
        }

        return TimeSpan.FromTicks((long)ticks);
    }
}
