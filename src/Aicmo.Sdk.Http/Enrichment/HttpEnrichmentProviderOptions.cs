using Aicmo.Sdk.Http.Security;

namespace Aicmo.Sdk.Http.Enrichment;

/// <summary>Configures an <see cref="HttpEnrichmentProvider"/>: the lookup endpoint, the mapping of its answer to fields, and the client's limits.</summary>
public sealed class HttpEnrichmentProviderOptions
{
    /// <summary>Gets or sets the API's base address. Required.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Gets or sets the lookup path relative to <see cref="BaseAddress"/>; <c>{email}</c> and <c>{domain}</c> are replaced (escaped), as in <c>v1/people/match?email={email}</c>. Required.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Gets or sets the HTTP method, <c>GET</c> or <c>POST</c>.</summary>
    /// <value>The default value is <c>GET</c>.</value>
    public string Method { get; set; } = "GET";

    /// <summary>Gets or sets the JSON body of a <c>POST</c>; <c>{email}</c> and <c>{domain}</c> are replaced by JSON string contents, as in <c>{"data":[{"email":"{email}"}]}</c>.</summary>
    /// <value>The default value is <c>{}</c>.</value>
    public string Body { get; set; } = "{}";

    /// <summary>Gets or sets whether a <c>POST</c> lookup may be retried (it changes nothing on the server). A <c>GET</c> is always retried.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IdempotentPost { get; set; }

    /// <summary>Gets or sets what a lead is looked up by.</summary>
    /// <value>The default value is <see cref="HttpLookupKey.Email"/>.</value>
    public HttpLookupKey LookupBy { get; set; } = HttpLookupKey.Email;

    /// <summary>Gets the headers sent with every request (an API key, for example); bind them from a secret store.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the JSON path of the result inside a response (such as <c>person</c> or <c>data[0]</c>); empty for the whole response.</summary>
    /// <value>The default value is empty.</value>
    public string ResultPath { get; set; } = string.Empty;

    /// <summary>
    /// Gets the mapping: enrichment field (see <see cref="Sdk.Enrichment.EnrichmentFields"/>: <c>companyDomain</c>,
    /// <c>companyName</c>, <c>industry</c>, <c>companySize</c>, <c>country</c>, <c>title</c>, <c>phone</c>) → JSON path inside the result.
    /// </summary>
    public IDictionary<string, string> Fields { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the confidence given to every value, unless <see cref="ConfidencePath"/> finds one in the result.</summary>
    /// <value>The default value is 0.8.</value>
    public double Confidence { get; set; } = 0.8;

    /// <summary>Gets or sets the JSON path of a confidence in [0, 1] inside the result, or empty.</summary>
    /// <value>The default value is empty.</value>
    public string ConfidencePath { get; set; } = string.Empty;

    /// <summary>Gets or sets the largest response accepted, in bytes.</summary>
    /// <value>The default value is 1 MiB.</value>
    public int MaxResponseBytes { get; set; } = 1 << 20;

    /// <summary>Gets or sets the timeout of one attempt.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the timeout of one lookup with its retries.</summary>
    /// <value>The default value is 20 seconds.</value>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets or sets how many times a failed attempt is retried.</summary>
    /// <value>The default value is 2.</value>
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>Gets or sets the first retry delay; a <c>Retry-After</c> header replaces it.</summary>
    /// <value>The default value is 500 milliseconds.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets or sets the failure ratio that opens the circuit breaker.</summary>
    /// <value>The default value is 0.5.</value>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets the attempts in the sampling window before the breaker may open.</summary>
    /// <value>The default value is 20.</value>
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    /// <summary>Gets or sets how long an open breaker refuses lookups (the waterfall then asks the next provider).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the endpoint guard's settings.</summary>
    public HttpEndpointGuardOptions Guard { get; } = new();
}
