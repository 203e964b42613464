using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Benchmarks.Infrastructure;

/// <summary>
/// An in-process Kestrel server on 127.0.0.1 serving a people API from memory: pages of people (<c>GET /people?page=&amp;per_page=</c>,
/// built once), a person match (<c>GET /v1/people/match?email=</c>) and a bulk match (<c>POST /v1/people/bulk_match</c>). It does
/// as little as it can, so what is measured is the client side.
/// </summary>
public sealed class LoopbackPeopleApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackPeopleApi(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Gets the server's <c>host:port</c>, for the endpoint guard's allow list.</summary>
    public string Endpoint => $"{BaseAddress.Host}:{BaseAddress.Port}";

    public static string Person(int i) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"id":"p{{i}}","email":"person{{i}}@company{{i % 5000}}.example","first_name":"First{{i}}","last_name":"Last{{i}}","title":"Head of Sales, EMEA","organization":{"name":"Company {{i % 5000}}","website_url":"company{{i % 5000}}.example"},"phone_numbers":[{"number":"+4420{{i:D7}}"}],"seniority":"director"}""");

    public static async Task<LoopbackPeopleApi> StartAsync(int people, int pageSize)
    {
        var pages = new List<byte[]>();
        for (var first = 0; first <= people; first += pageSize)
        {
            var items = Enumerable.Range(first, Math.Max(0, Math.Min(pageSize, people - first))).Select(Person);
            pages.Add(Encoding.UTF8.GetBytes($$"""{"people":[{{string.Join(",", items)}}]}"""));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/people", (int page) =>
            Results.Bytes(page >= 1 && page <= pages.Count ? pages[page - 1] : "{\"people\":[]}"u8.ToArray(), "application/json"));
        app.MapGet("/v1/people/match", (string email) =>
            Results.Text($$$$"""{"person":{"title":"Head of Sales","organization":{"name":"Org of {{{{email}}}}","industry":"Software"}}}""", "application/json"));
        app.MapPost("/v1/people/bulk_match", async (HttpRequest request) =>
        {
            using var document = await JsonDocument.ParseAsync(request.Body);
            var matches = document.RootElement.GetProperty("details").EnumerateArray().Select(d =>
                $$$"""{"email":"{{{d.GetProperty("email").GetString()}}}","title":"Head of Sales","organization":{"name":"Org","industry":"Software"}}""");
            return Results.Text($$"""{"matches":[{{string.Join(",", matches)}}]}""", "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackPeopleApi(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
