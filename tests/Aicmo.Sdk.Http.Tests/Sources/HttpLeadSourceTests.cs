using System.Globalization;
using Aicmo.Sdk.Http.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Aicmo.Sdk.Http.Tests.Sources;

[Collection(MeasuredAlone.Name)]
public class HttpLeadSourceTests
{
    private const int People = 5;

    [Fact]
    public async Task PagePagination_ReadsEveryPageAndMapsJsonPaths()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/people", (int page) => Results.Text(Pages(page), "application/json")));
        using var http = new HttpSources(server);

        var rows = await http.ReadAllAsync();

        Assert.Equal(["page 1 item 1", "page 1 item 2", "page 2 item 1", "page 2 item 2", "page 3 item 1"], rows.Select(r => r.SourcePosition));
        Assert.All(rows, r => Assert.Null(r.RejectionReason));
        var first = rows[0];
        Assert.Equal(("p1", "person1@example.com", "First1", "Org 1", "+14155550001"), (first.ExternalId, first.Email, first.FirstName, first.CompanyName, first.Phone));
        Assert.Equal("director", first.Attributes!["seniority"]);
        Assert.Equal(["/people?page=1&per_page=2", "/people?page=2&per_page=2", "/people?page=3&per_page=2"], server.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task PagePagination_ResumesAfterTheGivenRecord()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/people", (int page) => Results.Text(Pages(page), "application/json")));
        using var http = new HttpSources(server);

        var rows = await http.ReadAllAsync(resumeAfter: "page 2 item 1");

        Assert.Equal(["page 2 item 2", "page 3 item 1"], rows.Select(r => r.SourcePosition));
        Assert.Equal(["p4", "p5"], rows.Select(r => r.ExternalId));
    }

    [Fact]
    public async Task OffsetPagination_PositionsByOffsetAndResumesAfterIt()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/people", (int offset) =>
            Results.Text(HttpSources.Page(Enumerable.Range(offset + 1, Math.Max(0, Math.Min(2, People - offset)))), "application/json")));
        using var http = new HttpSources(server, o => o.Pagination = HttpPagination.Offset);

        var all = await http.ReadAllAsync();
        var resumed = await http.ReadAllAsync(resumeAfter: "offset 2");

        Assert.Equal(["offset 0", "offset 1", "offset 2", "offset 3", "offset 4"], all.Select(r => r.SourcePosition));
        Assert.Equal(["p4", "p5"], resumed.Select(r => r.ExternalId));
    }

    [Fact]
    public async Task CursorPagination_FollowsCursorsAndResumesInsideAPage()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/people", (string? cursor) => Results.Text(cursor switch
        {
            null => HttpSources.Page([1, 2, 3], "c/2"),
            "c/2" => HttpSources.Page([4, 5, 6], "c3"),
            _ => HttpSources.Page([7]),
        }, "application/json")));
        using var http = new HttpSources(server, o => o.Pagination = HttpPagination.Cursor);

        var all = await http.ReadAllAsync();
        var resumed = await http.ReadAllAsync(resumeAfter: all[4].SourcePosition);

        Assert.Equal(7, all.Count);
        Assert.Equal("cursor  item 1", all[0].SourcePosition);
        Assert.Equal("cursor c%2F2 item 2", all[4].SourcePosition);
        Assert.Equal(["p6", "p7"], resumed.Select(r => r.ExternalId));
    }

    [Fact]
    public async Task TooManyRequests_WaitsForRetryAfterThenContinues()
    {
        var calls = 0;
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/people", (int page, HttpResponse response) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                response.Headers.RetryAfter = "2";
                return Results.StatusCode(429);
            }

            return Results.Text(Pages(page), "application/json");
        }));
        using var http = new HttpSources(server);

        var rows = await http.ReadAllAsync();

        Assert.Equal(People, rows.Count);
        var requests = server.Requests;
        Assert.Equal("/people?page=1&per_page=2", requests[1].PathAndQuery);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(1.8), $"retried after {requests[1].At - requests[0].At}");
    }

    [Fact]
    public async Task SpentRateLimit_PausesUntilTheResetBeforeTheNextPage()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/people", (int page, HttpResponse response) =>
        {
            response.Headers["X-RateLimit-Remaining"] = page == 1 ? "0" : "10";
            response.Headers["X-RateLimit-Reset"] = "2";
            return Results.Text(Pages(page), "application/json");
        }));
        using var http = new HttpSources(server);

        await http.ReadAllAsync();

        var requests = server.Requests;
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(1.8), $"second page after {requests[1].At - requests[0].At}");
        Assert.True(requests[2].At - requests[1].At < TimeSpan.FromSeconds(1.5), $"third page after {requests[2].At - requests[1].At}");
    }

    [Fact]
    public async Task ServerErrors_AreRetriedForAGet()
    {
        var calls = 0;
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/people", (int page) =>
            Interlocked.Increment(ref calls) <= 2 ? Results.StatusCode(500) : Results.Text(Pages(page), "application/json")));
        using var http = new HttpSources(server);

        var rows = await http.ReadAllAsync();

        Assert.Equal(People, rows.Count);
        Assert.Equal(5, server.Requests.Count);
    }

    [Fact]
    public async Task ServerError_OnAPostNotDeclaredIdempotent_IsNotRetried()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapPost("/people", () => Results.StatusCode(500)));
        using var http = new HttpSources(server, o => o.Method = "POST");

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => http.ReadAllAsync());

        Assert.Contains("people-api: page 1: the API answered 500", ex.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ServerError_OnAnIdempotentPost_IsRetriedWithTheSameBody()
    {
        var calls = 0;
        await using var server = await LoopbackServer.StartAsync(app => app.MapPost("/people", () =>
            Interlocked.Increment(ref calls) == 1 ? Results.StatusCode(503) : Results.Text(HttpSources.Page([1]), "application/json")));
        using var http = new HttpSources(server, o =>
        {
            o.Method = "POST";
            o.IdempotentPost = true;
            o.Body = """{"person_titles":["cto"]}""";
        });

        var rows = await http.ReadAllAsync();

        Assert.Single(rows);
        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("""{"person_titles":["cto"],"page":1,"per_page":2}""", r.Body));
    }

    [Fact]
    public async Task SlowResponse_PastTheAttemptTimeout_FailsAfterItsRetries()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/people", async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct).ContinueWith(_ => { }, TaskScheduler.Default);
            return Results.Text(Pages(1), "application/json");
        }));
        using var http = new HttpSources(server, o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(300);
            o.MaxRetryAttempts = 1;
        });

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => http.ReadAllAsync());

        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task MalformedJson_FailsTheSourceNamingThePage()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/people", (int page) =>
            Results.Text(page == 1 ? Pages(1) : """{"people":[{"id":"p3",""", "application/json")));
        using var http = new HttpSources(server);
        var read = new List<string?>();

        var ex = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var c in http.Source.ReadAsync(new(Guid.NewGuid(), "c1", null), CancellationToken.None))
            {
                read.Add(c.SourcePosition);
            }
        });

        Assert.StartsWith("people-api: page 2: the response is not valid JSON", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["page 1 item 1", "page 1 item 2"], read);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OversizeBody_FailsTheSource(bool declaresLength)
    {
        var big = HttpSources.Page(Enumerable.Range(1, 2000));
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/people", async (HttpResponse response) =>
        {
            response.ContentType = "application/json";
            if (declaresLength)
            {
                response.ContentLength = System.Text.Encoding.UTF8.GetByteCount(big);
            }

            await response.WriteAsync(big);
        }));
        using var http = new HttpSources(server, o => o.MaxResponseBytes = 64 * 1024);

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => http.ReadAllAsync());

        Assert.Contains("larger than the limit of 65,536 bytes (MaxResponseBytes)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordsWithControlCharactersOrNotObjects_AreRejectedWithTheirReason()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/people", () => Results.Text(
            """{"people":[{"id":"p1","email":"a@example.com","first_name":"Ze\u0000ro"},42,{"id":"p3","email":"c@example.com"}]}""", "application/json")));
        using var http = new HttpSources(server, o => o.PageSize = 10);

        var rows = await http.ReadAllAsync();

        Assert.Equal("page 1 item 1: field \"firstName\" (first_name) contains a control character (U+0000)", rows[0].RejectionReason);
        Assert.Null(rows[0].Email);
        Assert.Equal("page 1 item 2: the record is a JSON number, not an object", rows[1].RejectionReason);
        Assert.Null(rows[2].RejectionReason);
    }

    [Fact]
    public async Task AuthHeaderFromConfiguration_IsSentWithEveryRequest()
    {
        string? seen = null;
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/people", (HttpRequest request) =>
        {
            seen = request.Headers["X-Api-Key"];
            return Results.Text(HttpSources.Page([]), "application/json");
        }));
        using var http = new HttpSources(server, o => o.Headers["X-Api-Key"] = "test-key");

        Assert.Empty(await http.ReadAllAsync());
        Assert.Equal("test-key", seen);
    }

    [Fact]
    public async Task PersistentFailures_OpenTheCircuitBreaker()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/people", () => Results.StatusCode(500)));
        using var http = new HttpSources(server, o =>
        {
            o.MaxRetryAttempts = 6;
            o.CircuitBreakerMinimumThroughput = 3;
            o.CircuitBreakerFailureRatio = 0.5;
        });

        await Assert.ThrowsAsync<BrokenCircuitException>(() => http.ReadAllAsync());

        Assert.Equal(3, server.Requests.Count);
    }

    private static string Pages(int page) =>
        HttpSources.Page(Enumerable.Range(((page - 1) * 2) + 1, Math.Max(0, Math.Min(2, People - ((page - 1) * 2)))));
}
