using Aicmo.Sdk.Http.Security;

namespace Aicmo.Sdk.Http.Sources;

/// <summary>Configures an <see cref="HttpLeadSource"/>: the endpoint, its pagination, the field mapping and the client's limits.</summary>
public sealed class HttpLeadSourceOptions
{
    /// <summary>Gets or sets the API's base address, for example <c>https://api.example.com/</c>. Required.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Gets or sets the path (with any fixed query) of the list endpoint, relative to <see cref="BaseAddress"/>. Required.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Gets or sets the HTTP method: <c>GET</c> (pagination in the query) or <c>POST</c> (pagination merged into the JSON <see cref="Body"/>).</summary>
    /// <value>The default value is <c>GET</c>.</value>
    public string Method { get; set; } = "GET";

    /// <summary>Gets or sets the JSON object sent with a <c>POST</c>; pagination properties are set at its root.</summary>
    /// <value>The default value is <c>{}</c>.</value>
    public string Body { get; set; } = "{}";

    /// <summary>
    /// Gets or sets whether a <c>POST</c> to this endpoint is idempotent (a search, not a create), so a failed attempt may be
    /// retried. A <c>GET</c> is always retried; a <c>POST</c> is never retried unless this is set.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IdempotentPost { get; set; }

    /// <summary>Gets the headers sent with every request, such as <c>Authorization</c> or <c>X-Api-Key</c>; bind them from configuration or a secret store.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets how the API pages.</summary>
    /// <value>The default value is <see cref="HttpPagination.Page"/>.</value>
    public HttpPagination Pagination { get; set; } = HttpPagination.Page;

    /// <summary>Gets or sets the page-number parameter.</summary>
    /// <value>The default value is <c>page</c>.</value>
    public string PageParameter { get; set; } = "page";

    /// <summary>Gets or sets the number of the first page.</summary>
    /// <value>The default value is 1.</value>
    public int FirstPage { get; set; } = 1;

    /// <summary>Gets or sets the offset parameter.</summary>
    /// <value>The default value is <c>offset</c>.</value>
    public string OffsetParameter { get; set; } = "offset";

    /// <summary>Gets or sets the cursor parameter.</summary>
    /// <value>The default value is <c>cursor</c>.</value>
    public string CursorParameter { get; set; } = "cursor";

    /// <summary>Gets or sets the JSON path of the next cursor in a response; none, null or empty ends the walk.</summary>
    /// <value>The default value is <c>next_cursor</c>.</value>
    public string NextCursorPath { get; set; } = "next_cursor";

    /// <summary>Gets or sets the page-size parameter, or an empty string to send none.</summary>
    /// <value>The default value is <c>per_page</c>.</value>
    public string PageSizeParameter { get; set; } = "per_page";

    /// <summary>Gets or sets the page size; with page or offset pagination a shorter page ends the walk.</summary>
    /// <value>The default value is 100.</value>
    public int PageSize { get; set; } = 100;

    /// <summary>Gets or sets the JSON path of the array of records in a response, such as <c>people</c> or <c>data.items</c>; empty for a response that is the array.</summary>
    /// <value>The default value is <c>data</c>.</value>
    public string ItemsPath { get; set; } = "data";

    /// <summary>
    /// Gets the field mapping: target → JSON path inside one record, such as <c>email</c> → <c>email</c> or
    /// <c>companyName</c> → <c>organization.name</c> or <c>phone</c> → <c>phone_numbers[0].sanitized_number</c>. Targets are the
    /// candidate's fields (<c>externalId</c>, <c>firstName</c>, <c>lastName</c>, <c>email</c>, <c>title</c>, <c>phone</c>,
    /// <c>timeZone</c>, <c>companyName</c>, <c>companyDomain</c>, <c>industry</c>, <c>companySize</c>, <c>country</c>,
    /// <c>annualRevenue</c>) or <c>attribute:name</c>.
    /// </summary>
    public IDictionary<string, string> Fields { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the largest response body accepted, in bytes; a larger one fails the source.</summary>
    /// <value>The default value is 16 MiB.</value>
    public int MaxResponseBytes { get; set; } = 16 << 20;

    /// <summary>Gets or sets the timeout of one attempt (until the response headers arrive, and again for reading the body).</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the timeout of one request with all its retries.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how many times a failed attempt (a 408, 429 or 5xx answer, a timeout, a network error) is retried.</summary>
    /// <value>The default value is 3.</value>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the first retry delay (exponential with jitter); a <c>Retry-After</c> header replaces it.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the failure ratio over the sampling window that opens the circuit breaker.</summary>
    /// <value>The default value is 0.5.</value>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets the number of attempts in the sampling window before the breaker may open.</summary>
    /// <value>The default value is 10.</value>
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    /// <summary>Gets or sets how long an open breaker refuses requests.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the longest pause taken when a response says the rate limit is spent (<c>X-RateLimit-Remaining: 0</c> with a reset time).</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets the endpoint guard's settings (requests and redirects to private addresses).</summary>
    public HttpEndpointGuardOptions Guard { get; } = new();
}
