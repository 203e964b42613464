using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Http.Internal;
using Aicmo.Sdk.Identity;

namespace Aicmo.Sdk.Http.Enrichment;

/// <summary>
/// An enrichment provider over an HTTP lookup API (a person match by email, a company lookup by domain): one request per lead,
/// the answer's fields mapped by JSON path to the fields the waterfall still misses, each with a confidence. The waterfall
/// records this provider's <see cref="Name"/> as the provenance of every value it takes.
/// </summary>
/// <remarks>
/// A 404 means the API knows nothing (no values, no error). Other failures throw, after the client's retries, and the waterfall
/// asks the next provider. Values holding a refused control character are dropped. Lookups are not batched.
/// </remarks>
public sealed class HttpEnrichmentProvider : IEnrichmentProvider
{
    private readonly HttpEnrichmentProviderOptions _options;
    private readonly Func<HttpClient> _createClient;
    private readonly JsonPath _result;
    private readonly JsonPath? _confidence;
    private readonly (string Field, JsonPath Path)[] _fields;

    /// <summary>Creates the provider.</summary>
    /// <param name="name">The provider's name, recorded as provenance.</param>
    /// <param name="options">The options.</param>
    /// <param name="createClient">Creates a client (from <see cref="IHttpClientFactory"/>); its base address is set from the options.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public HttpEnrichmentProvider(string name, HttpEnrichmentProviderOptions options, Func<HttpClient> createClient)
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
        if (!_result.TryGet(document.RootElement, out var result))
        {
            return [];
        }

        var confidence = _options.Confidence;
        if (_confidence?.GetText(result) is { } c && double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var found) && found is >= 0 and <= 1)
        {
            confidence = found;
        }

        var values = new List<EnrichedValue>();
        foreach (var (field, path) in _fields)
        {
            if (missingFields.Contains(field) && path.GetText(result) is { } value && Aicmo.Sdk.Domain.TextPolicy.IndexOfForbidden(value) < 0)
            {
                values.Add(new EnrichedValue(field, value, confidence));
            }
        }

        return values;
    }

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
