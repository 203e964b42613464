using Aicmo.Sdk.Http.Security;

namespace Aicmo.Sdk.Http.Enrichment;

/// <summary>Configures an <see cref="HttpEnrichmentProvider"/>: the lookup endpoint, the mapping of its answer to fields, and the client's limits.</summary>
public sealed class HttpEnrichmentProviderOptions
{
    /// <summary>Gets or sets the API's base address. Required.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Gets or sets the lookup path relative to <see cref="BaseAddress"/>; <c>{email}</c> and <c>{domain}</c> are replaced (escaped), as in <c>v1/people/match?email={email}</c>. Required unless <see cref="BatchPath"/> is set.</summary>
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

    /// <summary>
    /// Gets or sets the path of the API's batch endpoint (a <c>POST</c> that looks up many keys at once, such as
    /// <c>api/v1/people/bulk_match</c>), or <see langword="null"/> to look each lead up on its own. When set, every lookup goes
    /// through it and <see cref="Path"/>, <see cref="Method"/> and <see cref="Body"/> are not used; <see cref="ResultPath"/>,
    /// <see cref="Fields"/> and <see cref="ConfidencePath"/> apply to each element of the results. Set
    /// <see cref="IdempotentPost"/> when a failed batch may be sent again.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? BatchPath { get; set; }

    /// <summary>Gets or sets the JSON body of a batch request; <c>{items}</c> is replaced by the items, separated by commas.</summary>
    /// <value>The default value is <c>{"data":[{items}]}</c>.</value>
    public string BatchBody { get; set; } = """{"data":[{items}]}""";

    /// <summary>Gets or sets the JSON of one item of a batch; <c>{email}</c> or <c>{domain}</c> (after <see cref="LookupBy"/>) is replaced by JSON string contents.</summary>
    /// <value>The default value is <c>{"email":"{email}"}</c>.</value>
    public string BatchItem { get; set; } = """{"email":"{email}"}""";

    /// <summary>Gets or sets the JSON path of the array of results in a batch response.</summary>
    /// <value>The default value is <c>data</c>.</value>
    public string BatchResultsPath { get; set; } = "data";

    /// <summary>
    /// Gets or sets the JSON path, inside a result, of the key it answers (the email or domain looked up), so results are matched
    /// to leads by key; empty to match them by position, in which case a response whose count differs from the request's
    /// fails as a whole rather than hand one lead another's data.
    /// </summary>
    /// <value>The default value is empty (by position).</value>
    public string BatchMatchPath { get; set; } = string.Empty;

    /// <summary>Gets or sets the JSON path, inside a result, of an error the API reports for that key alone: that lead's lookup fails with it, the others are served.</summary>
    /// <value>The default value is empty (no per-key errors).</value>
    public string BatchErrorPath { get; set; } = string.Empty;

    /// <summary>Gets or sets the most keys in one batch request (the API's own limit, at most).</summary>
    /// <value>The default value is 25.</value>
    public int MaxBatchSize { get; set; } = 25;

    /// <summary>
    /// Gets or sets how long the first lookup of a batch waits for others before the batch goes unfilled. Lookups arrive together
    /// when the enrich stage's parallelism lets a batch of leads run at once, so set that parallelism to at least
    /// <see cref="MaxBatchSize"/> for full batches.
    /// </summary>
    /// <value>The default value is 20 milliseconds.</value>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Gets the endpoint guard's settings.</summary>
    public HttpEndpointGuardOptions Guard { get; } = new();
}
