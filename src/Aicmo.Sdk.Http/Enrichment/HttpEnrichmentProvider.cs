using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Http.Enrichment.Internal;
using Aicmo.Sdk.Http.Internal;
using Aicmo.Sdk.Identity;

namespace Aicmo.Sdk.Http.Enrichment;

/// <summary>
/// An enrichment provider over an HTTP lookup API (a person match by email, a company lookup by domain): one request per lead,
/// or one request for many leads when the API has a batch endpoint; the answer's fields mapped by JSON path to the fields the
/// waterfall still misses, each with a confidence. The waterfall records this provider's <see cref="Name"/> as the provenance
/// of every value it takes.
/// </summary>
/// <remarks>
/// <para>
/// A 404 means the API knows nothing (no values, no error). Other failures throw, after the client's retries, and the waterfall
/// asks the next provider. Values holding a refused control character are dropped.
/// </para>
/// <para>
/// With <see cref="HttpEnrichmentProviderOptions.BatchPath"/> set, the lookups that arrive together (the enrich stage runs the
/// leads of a batch concurrently, up to its parallelism) go as one <c>POST</c> of up to
/// <see cref="HttpEnrichmentProviderOptions.MaxBatchSize"/> keys, sent when full or
/// <see cref="HttpEnrichmentProviderOptions.BatchWindow"/> after its first lookup. Each lead gets its own key's result, matched
/// by <see cref="HttpEnrichmentProviderOptions.BatchMatchPath"/> or by position. A key the API reports an error for fails that
/// lead's lookup alone; a request that fails as a whole fails the lookups it carried.
/// </para>
/// </remarks>
public sealed class HttpEnrichmentProvider : IEnrichmentProvider
{
    private readonly HttpEnrichmentProviderOptions _options;
    private readonly Func<HttpClient> _createClient;
    private readonly JsonPath _result;
    private readonly JsonPath? _confidence;
    private readonly (string Field, JsonPath Path)[] _fields;
    private readonly LookupBatcher? _batcher;
    private readonly JsonPath? _batchResults;
    private readonly JsonPath? _batchMatch;
    private readonly JsonPath? _batchError;

    /// <summary>Creates the provider.</summary>
    /// <param name="name">The provider's name, recorded as provenance.</param>
    /// <param name="options">The options.</param>
    /// <param name="createClient">Creates a client (from <see cref="IHttpClientFactory"/>); its base address is set from the options.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public HttpEnrichmentProvider(string name, HttpEnrichmentProviderOptions options, Func<HttpClient> createClient)
        : this(name, options, createClient, null)
    {
    }

    /// <summary>Creates the provider.</summary>
    /// <param name="name">The provider's name, recorded as provenance.</param>
    /// <param name="options">The options.</param>
    /// <param name="createClient">Creates a client (from <see cref="IHttpClientFactory"/>); its base address is set from the options.</param>
    /// <param name="timeProvider">The clock (the batch window); <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public HttpEnrichmentProvider(string name, HttpEnrichmentProviderOptions options, Func<HttpClient> createClient, TimeProvider? timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(createClient);
        var failures = HttpEnrichmentProviderOptionsValidator.Check(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        Name = name;
        _options = options;
        _createClient = createClient;
        _result = JsonPath.Parse(options.ResultPath);
        _confidence = string.IsNullOrWhiteSpace(options.ConfidencePath) ? null : JsonPath.Parse(options.ConfidencePath);
        _fields = [.. options.Fields.Select(f => (f.Key, JsonPath.Parse(f.Value)))];
        if (!string.IsNullOrWhiteSpace(options.BatchPath))
        {
            _batchResults = JsonPath.Parse(options.BatchResultsPath);
            _batchMatch = string.IsNullOrWhiteSpace(options.BatchMatchPath) ? null : JsonPath.Parse(options.BatchMatchPath);
            _batchError = string.IsNullOrWhiteSpace(options.BatchErrorPath) ? null : JsonPath.Parse(options.BatchErrorPath);
            _batcher = new LookupBatcher(options.MaxBatchSize, options.BatchWindow, timeProvider ?? TimeProvider.System, SendBatchAsync);
        }
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<EnrichedValue>> LookupAsync(Lead lead, IReadOnlyCollection<string> missingFields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(missingFields);
        var email = LeadIdentity.NormalizeEmail(lead.Email);
        var domain = LeadIdentity.NormalizeDomain(lead.CompanyDomain) ?? (email is not null && email.IndexOf('@', StringComparison.Ordinal) is var at and > 0 ? email[(at + 1)..] : null);
        var key = _options.LookupBy == HttpLookupKey.Email ? email : domain;
        if (key is null || !_fields.Any(f => missingFields.Contains(f.Field)))
        {
            return [];
        }

        if (_batcher is not null)
        {
            var answer = await _batcher.LookupAsync(key, cancellationToken).ConfigureAwait(false);
            if (answer.Error is { } error)
            {
                throw new HttpRequestException($"{Name}: batch lookup by {_options.LookupBy.ToString().ToLowerInvariant()}: the API reported an error for this lead: {TextPolicy.RemoveForbidden(error)}");
            }

            return answer.Result is { } found ? Map(found, missingFields) : [];
        }

        var client = _createClient();
        client.BaseAddress ??= _options.BaseAddress;
        using var request = BuildRequest(email, domain);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        var what = $"{Name}: lookup by {_options.LookupBy.ToString().ToLowerInvariant()}";
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(string.Create(CultureInfo.InvariantCulture, $"{what}: the API answered {(int)response.StatusCode} {response.ReasonPhrase}."), null, response.StatusCode);
        }

        var body = await BoundedContent.ReadAsync(response, _options.MaxResponseBytes, _options.AttemptTimeout, what, cancellationToken).ConfigureAwait(false);
        using var document = ParseJson(body, what);
        return _result.TryGet(document.RootElement, out var result) ? Map(result, missingFields) : [];
    }

    private List<EnrichedValue> Map(JsonElement result, IReadOnlyCollection<string> missingFields)
    {
        var confidence = _options.Confidence;
        if (_confidence?.GetText(result) is { } c && double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var found) && found is >= 0 and <= 1)
        {
            confidence = found;
        }

        var values = new List<EnrichedValue>();
        foreach (var (field, path) in _fields)
        {
            if (missingFields.Contains(field) && path.GetText(result) is { } value && TextPolicy.IndexOfForbidden(value) < 0)
            {
                values.Add(new EnrichedValue(field, value, confidence));
            }
        }

        return values;
    }

    private async Task<IReadOnlyDictionary<string, BatchAnswer>> SendBatchAsync(IReadOnlyList<string> keys)
    {
        var placeholder = _options.LookupBy == HttpLookupKey.Email ? "{email}" : "{domain}";
        var items = string.Join(",", keys.Select(k => _options.BatchItem.Replace(placeholder, JsonText(k), StringComparison.Ordinal)));
        var body = _options.BatchBody.Replace("{items}", items, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.BatchPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in _options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var client = _createClient();
        client.BaseAddress ??= _options.BaseAddress;
        var what = string.Create(CultureInfo.InvariantCulture, $"{Name}: batch lookup of {keys.Count} by {_options.LookupBy.ToString().ToLowerInvariant()}");

        // The request serves many leads: no one lead's cancellation stops it; the client's timeouts bound it.
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, CancellationToken.None).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(string.Create(CultureInfo.InvariantCulture, $"{what}: the API answered {(int)response.StatusCode} {response.ReasonPhrase}."), null, response.StatusCode);
        }

        var content = await BoundedContent.ReadAsync(response, _options.MaxResponseBytes, _options.AttemptTimeout, what, CancellationToken.None).ConfigureAwait(false);
        using var document = ParseJson(content, what);
        if (!_batchResults!.TryGet(document.RootElement, out var results) || results.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{what}: the response has no array at \"{_options.BatchResultsPath}\" (BatchResultsPath).");
        }

        var answers = new Dictionary<string, BatchAnswer>(keys.Count, StringComparer.Ordinal);
        if (_batchMatch is null && results.GetArrayLength() != keys.Count)
        {
            // Matched by position, a missing or extra result would hand one lead another's data: refuse the whole answer.
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{what}: the response holds {results.GetArrayLength()} results for {keys.Count} lookups, so they cannot be matched by position; set BatchMatchPath."));
        }

        var index = 0;
        foreach (var element in results.EnumerateArray())
        {
            var key = _batchMatch is null ? keys[index] : Normalize(_batchMatch.GetText(element));
            index++;
            if (key is null || answers.ContainsKey(key) || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                continue;
            }

            var error = _batchError?.GetText(element);
            answers[key] = error is not null ? new BatchAnswer(null, error)
                : _result.TryGet(element, out var result) ? new BatchAnswer(result.Clone(), null)
                : BatchAnswer.NotFound;
        }

        return answers;
    }

    private string? Normalize(string? key) => _options.LookupBy == HttpLookupKey.Email ? LeadIdentity.NormalizeEmail(key) : LeadIdentity.NormalizeDomain(key);

    private static JsonDocument ParseJson(ReadOnlyMemory<byte> body, string what)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what}: the response is not valid JSON ({e.Message})", e);
        }
    }

    private HttpRequestMessage BuildRequest(string? email, string? domain)
    {
        var path = _options.Path.Replace("{email}", Uri.EscapeDataString(email ?? string.Empty), StringComparison.Ordinal)
            .Replace("{domain}", Uri.EscapeDataString(domain ?? string.Empty), StringComparison.Ordinal);
        HttpRequestMessage request;
        if (string.Equals(_options.Method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            var body = _options.Body.Replace("{email}", JsonText(email), StringComparison.Ordinal).Replace("{domain}", JsonText(domain), StringComparison.Ordinal);
            request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
        else
        {
            request = new HttpRequestMessage(HttpMethod.Get, path);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in _options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    // The contents of a JSON string (escaped, without the quotes), for a placeholder inside a quoted template value.
    private static string JsonText(string? value) => JavaScriptEncoder.Default.Encode(value ?? string.Empty);
}
