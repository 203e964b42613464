namespace Aicmo.Sdk.Stages;

/// <summary>Retry of transient per-lead faults: exponential backoff with jitter.</summary>
public sealed class RetryOptions
{
    /// <summary>Gets or sets how many times a failed attempt is retried; 0 disables retries.</summary>
    /// <value>The default value is 3. Must be between 0 and 100.</value>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the delay before the first retry; later retries back off exponentially.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets the longest delay between two attempts.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets whether delays are randomized so that many failing leads do not retry in lock step.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseJitter { get; set; } = true;

    /// <summary>Gets or sets which exceptions are transient (retried); <see langword="null"/> uses <see cref="DefaultIsTransient"/>.</summary>
    public Func<Exception, bool>? IsTransient { get; set; }

    /// <summary>
    /// The default classification: <see cref="TransientLeadException"/>, <see cref="TimeoutException"/>, <see cref="IOException"/>,
    /// <see cref="HttpRequestException"/> and Polly's timeout are transient; everything else (a user's own
    /// <see cref="OperationCanceledException"/> included) quarantines the lead at once.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <returns><see langword="true"/> when the attempt should be retried.</returns>
    public static bool DefaultIsTransient(Exception exception) => exception is
        TransientLeadException or TimeoutException or IOException or HttpRequestException or Polly.Timeout.TimeoutRejectedException;

    /// <summary>Validates the options; every failure names the option.</summary>
    /// <param name="prefix">The path of these options.</param>
    /// <returns>The failures; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate(string prefix = nameof(RetryOptions))
    {
        var failures = new List<string>();
        if (MaxRetryAttempts is < 0 or > 100)
        {
            failures.Add($"{prefix}.{nameof(MaxRetryAttempts)} must be between 0 and 100 (was {MaxRetryAttempts}).");
        }

        if (BaseDelay < TimeSpan.Zero || BaseDelay > TimeSpan.FromDays(1))
        {
            failures.Add($"{prefix}.{nameof(BaseDelay)} must be between 0 and 1 day (was {BaseDelay}).");
        }

        if (MaxDelay < BaseDelay)
        {
            failures.Add($"{prefix}.{nameof(MaxDelay)} must not be shorter than {nameof(BaseDelay)} ({MaxDelay} < {BaseDelay}).");
        }

        return failures;
    }
}
