namespace Aicmo.Sdk.Enrichment;

/// <summary>
/// Options of <see cref="WaterfallEnricher"/>: the provider order per field, validation, the cache, the per-run budget of
/// provider calls, and how long a failing provider is left alone. Every property is settable and bindable from <c>IConfiguration</c>.
/// </summary>
public sealed class WaterfallEnricherOptions
{
    /// <summary>
    /// Gets or sets the waterfall of each field, by field name (see <see cref="EnrichmentFields"/>). Fields not listed use
    /// every registered provider in registration order; an empty dictionary enriches every field that way.
    /// </summary>
    public IDictionary<string, FieldWaterfall> Fields { get; set; } = new Dictionary<string, FieldWaterfall>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets whether values the lead itself implies (company domain from a business address, country from the domain) are filled in first.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool InferFromLead { get; set; } = true;

    /// <summary>Gets or sets how long a provider's answer (a value, or "unknown") is reused for the same person; <see cref="TimeSpan.Zero"/> turns the cache off.</summary>
    /// <value>The default value is 24 hours.</value>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets the most entries the cache holds; the oldest are dropped first.</summary>
    /// <value>The default value is 100,000.</value>
    public int CacheCapacity { get; set; } = 100_000;

    /// <summary>Gets or sets the most provider calls one pipeline run may make (over every provider); 0 means no limit.</summary>
    /// <value>The default value is 0.</value>
    public int MaxProviderCallsPerRun { get; set; }

    /// <summary>Gets or sets how long one provider call may take before it counts as failed and the next provider is asked.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan ProviderTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the share of failed calls in <see cref="BreakerSamplingDuration"/> that opens a provider's circuit.</summary>
    /// <value>The default value is 0.5.</value>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets how many calls must be sampled before the circuit may open.</summary>
    /// <value>The default value is 5.</value>
    public int BreakerMinimumThroughput { get; set; } = 5;

    /// <summary>Gets or sets the window in which failures are sampled.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long an open circuit skips the provider before one trial call is let through.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Validates the options; every failure names the option.</summary>
    /// <param name="prefix">The path of these options, for example <c>AicmoPipelineOptions.Enrichment</c>.</param>
    /// <returns>The failures; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate(string prefix = nameof(WaterfallEnricherOptions))
    {
        var failures = new List<string>();
        foreach (var (field, waterfall) in Fields ?? new Dictionary<string, FieldWaterfall>())
        {
            var path = $"{prefix}.Fields[\"{field}\"]";
            if (!EnrichmentFields.All.Contains(field, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{path} is not an enrichable field; use one of {string.Join(", ", EnrichmentFields.All)}.");
            }

            if (waterfall is null)
            {
                failures.Add($"{path} cannot be null.");
                continue;
            }

            if (!(waterfall.MinConfidence is >= 0 and <= 1))
            {
                failures.Add($"{path}.MinConfidence must be between 0 and 1 (was {waterfall.MinConfidence}).");
            }

            if (waterfall.Providers is null || waterfall.Providers.Any(string.IsNullOrWhiteSpace))
            {
                failures.Add($"{path}.Providers cannot hold an empty name.");
            }

            if (waterfall.Pattern is { Length: > 0 } pattern)
            {
                try
                {
                    _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100));
                }
                catch (ArgumentException ex)
                {
                    failures.Add($"{path}.Pattern is not a valid regular expression: {ex.Message}");
                }
            }
        }

        if (CacheTtl < TimeSpan.Zero)
        {
            failures.Add($"{prefix}.{nameof(CacheTtl)} cannot be negative (was {CacheTtl}).");
        }

        if (CacheCapacity < 1)
        {
            failures.Add($"{prefix}.{nameof(CacheCapacity)} must be at least 1 (was {CacheCapacity}).");
        }

        if (MaxProviderCallsPerRun < 0)
        {
            failures.Add($"{prefix}.{nameof(MaxProviderCallsPerRun)} cannot be negative (was {MaxProviderCallsPerRun}); 0 means no limit.");
        }

        if (ProviderTimeout <= TimeSpan.Zero || ProviderTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{prefix}.{nameof(ProviderTimeout)} must be greater than 0 and at most 1 hour (was {ProviderTimeout}).");
        }

        if (!(BreakerFailureRatio is > 0 and <= 1))
        {
            failures.Add($"{prefix}.{nameof(BreakerFailureRatio)} must be greater than 0 and at most 1 (was {BreakerFailureRatio}).");
        }

        if (BreakerMinimumThroughput < 2)
        {
            failures.Add($"{prefix}.{nameof(BreakerMinimumThroughput)} must be at least 2 (was {BreakerMinimumThroughput}).");
        }

        if (BreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"{prefix}.{nameof(BreakerSamplingDuration)} must be at least 500 ms (was {BreakerSamplingDuration}).");
        }

        if (BreakerBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"{prefix}.{nameof(BreakerBreakDuration)} must be at least 500 ms (was {BreakerBreakDuration}).");
        }

        return failures;
    }
}
