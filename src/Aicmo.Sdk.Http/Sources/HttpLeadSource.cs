using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Http.Internal;
using Aicmo.Sdk.Http.Sources.Internal;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Http.Sources;

/// <summary>
/// A lead source over a paged JSON API: walks the pages (page number, offset or cursor), maps each record's fields by JSON
/// path, positions every candidate (<c>page 3 item 17</c>, <c>offset 216</c>, <c>cursor … item 4</c>) so a resumed run continues
/// after the last record it took, and pauses when a response says the rate limit is spent.
/// </summary>
/// <remarks>
/// Register it with <c>AddHttpLeadSource</c>, which gives its client the resilience pipeline (retries honouring
/// <c>Retry-After</c>, attempt and total timeouts, a circuit breaker; no retry of a <c>POST</c> unless declared idempotent)
/// and the endpoint guard. A record that is not an object or holds a refused control character is yielded rejected, with its
/// reason. A response that fails after the retries, is not JSON, has no records array or is larger than
/// <see cref="HttpLeadSourceOptions.MaxResponseBytes"/> ends the source with an exception naming the page; a later run
/// resumes after the last record taken.
/// </remarks>
public sealed class HttpLeadSource : ILeadSource
{
    private readonly HttpLeadSourceOptions _options;
    private readonly Func<HttpClient> _createClient;
    private readonly TimeProvider _timeProvider;
    private readonly FieldMapping _fields;
    private readonly JsonPath _items;
    private readonly JsonPath _nextCursor;

    /// <summary>Creates the source.</summary>
    /// <param name="name">The source's name, recorded on every lead.</param>
    /// <param name="options">The options.</param>
    /// <param name="createClient">Creates the client for one read (from <see cref="IHttpClientFactory"/>); its base address is set from the options.</param>
    /// <param name="timeProvider">The clock for rate-limit pauses, or <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public HttpLeadSource(string name, HttpLeadSourceOptions options, Func<HttpClient> createClient, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(createClient);
        var failures = HttpLeadSourceOptionsValidator.Check(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        Name = name;
        _options = options;
        _createClient = createClient;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _fields = new FieldMapping(options.Fields);
        _items = JsonPath.Parse(options.ItemsPath);
        _nextCursor = JsonPath.Parse(options.NextCursorPath);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    /// <exception cref="HttpRequestException">The API failed after the retries, or the endpoint guard refused a connection.</exception>
    /// <exception cref="InvalidDataException">A response is not JSON, has no records array, or is too large.</exception>
    /// <exception cref="ArgumentException"><see cref="LeadSourceContext.ResumeAfter"/> is not a position this source wrote.</exception>
    public async IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = _options;
        var resume = context.ResumeAfter is { } after ? PagePosition.ParseResumeAfter(after, o.Pagination) : (PagePosition?)null;
        long page = resume?.Page ?? o.FirstPage;
        long offset = resume?.Page ?? 0;
        var cursor = resume?.Cursor;
        var skip = resume?.Item ?? 0;

        var client = _createClient();
        client.BaseAddress ??= o.BaseAddress;
        var batch = new List<LeadCandidate>(o.PageSize);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var what = o.Pagination switch
            {
                HttpPagination.Page => string.Create(CultureInfo.InvariantCulture, $"{Name}: page {page}"),
                HttpPagination.Offset => string.Create(CultureInfo.InvariantCulture, $"{Name}: offset {offset}"),
                _ => $"{Name}: cursor \"{cursor}\"",
            };

            string? next;
            int count;
            TimeSpan wait;
            using (var request = BuildRequest(page, offset, cursor))
            using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new HttpRequestException(string.Create(CultureInfo.InvariantCulture, $"{what}: the API answered {(int)response.StatusCode} {response.ReasonPhrase}."), null, response.StatusCode);
                }

                var body = await BoundedContent.ReadAsync(response, o.MaxResponseBytes, o.AttemptTimeout, what, cancellationToken).ConfigureAwait(false);
                wait = RateLimitHeaders.WaitBeforeNext(response, _timeProvider.GetUtcNow());
                (count, next) = ReadPage(body, what, page, offset, cursor, skip, batch);
            }

            foreach (var candidate in batch)
            {
                yield return candidate;
            }

            batch.Clear();
            skip = 0;
            if (count == 0)
            {
                yield break;
            }

            switch (o.Pagination)
            {
                case HttpPagination.Page when count < o.PageSize:
                case HttpPagination.Offset when count < o.PageSize:
                case HttpPagination.Cursor when string.IsNullOrEmpty(next) || next == cursor:
                    yield break;
                case HttpPagination.Page:
                    page++;
                    break;
                case HttpPagination.Offset:
                    offset += count;
                    break;
                default:
                    cursor = next;
                    break;
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait < o.MaxRateLimitWait ? wait : o.MaxRateLimitWait, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private (int Count, string? Next) ReadPage(ReadOnlyMemory<byte> body, string what, long page, long offset, string? cursor, long skip, List<LeadCandidate> batch)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what}: the response is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (!_items.TryGet(root, out var items) || items.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{what}: the response has no array of records at \"{_options.ItemsPath}\" (ItemsPath).");
            }

            var item = 0L;
            foreach (var record in items.EnumerateArray())
            {
                item++;
                if (item <= skip)
                {
                    continue;
                }

                var position = _options.Pagination switch
                {
                    HttpPagination.Page => PagePosition.FormatPage(page, item),
                    HttpPagination.Offset => PagePosition.FormatOffset(offset + item - 1),
                    _ => PagePosition.FormatCursor(cursor, item),
                };
                batch.Add(_fields.Map(record, position));
            }

            return ((int)item, _options.Pagination == HttpPagination.Cursor ? _nextCursor.GetText(root) : null);
        }
    }

    private HttpRequestMessage BuildRequest(long page, long offset, string? cursor)
    {
        var o = _options;
        var parameters = new List<KeyValuePair<string, string>>();
        switch (o.Pagination)
        {
            case HttpPagination.Page:
                parameters.Add(new(o.PageParameter, page.ToString(CultureInfo.InvariantCulture)));
                break;
            case HttpPagination.Offset:
                parameters.Add(new(o.OffsetParameter, offset.ToString(CultureInfo.InvariantCulture)));
                break;
            default:
                if (!string.IsNullOrEmpty(cursor))
                {
                    parameters.Add(new(o.CursorParameter, cursor));
                }

                break;
        }

        if (o.PageSizeParameter.Length > 0)
        {
            parameters.Add(new(o.PageSizeParameter, o.PageSize.ToString(CultureInfo.InvariantCulture)));
        }

        HttpRequestMessage request;
        if (string.Equals(o.Method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            var body = JsonNode.Parse(o.Body)!.AsObject();
            foreach (var (key, value) in parameters)
            {
                body[key] = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(value);
            }

            request = new HttpRequestMessage(HttpMethod.Post, o.Path)
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
        }
        else
        {
            var query = string.Join("&", parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
            var separator = o.Path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            request = new HttpRequestMessage(HttpMethod.Get, query.Length == 0 ? o.Path : o.Path + separator + query);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in o.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
