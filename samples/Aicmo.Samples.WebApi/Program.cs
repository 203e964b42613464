using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Aicmo.Sdk.AspNetCore.Security;
using Aicmo.Sdk.Diagnostics;
using Aicmo.Sdk.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// The lead pipeline's HTTP API on SQLite, with OpenTelemetry: the Aicmo.Pipeline meter and ASP.NET Core's on a Prometheus
// scrape endpoint (/metrics), traces of the pipeline and of requests to an OTLP collector when OTEL_EXPORTER_OTLP_ENDPOINT is set.
//   dotnet run --project samples/Aicmo.Samples.WebApi [-- --urls http://localhost:5080] [--Aicmo:Key=value ...]
// It prints its URL and a development API key (admin scope), made anew at each start unless Aicmo:ApiKey is set.
// --smoke starts it on a free loopback port, checks /health/live, creates a campaign, runs it through the API with the key,
// scrapes /metrics for the pipeline's counters, stops, and exits with 1 when a check failed (build.sh's smoke check).
var smoke = args.Contains("--smoke");
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = [.. args.Where(a => a != "--smoke")],
    ContentRootPath = AppContext.BaseDirectory, // appsettings.json sits beside the program, wherever it is started from
});
if (smoke)
{
    builder.WebHost.UseUrls("http://127.0.0.1:0");
}

var aicmo = builder.Configuration.GetSection("Aicmo");
var apiKey = aicmo["ApiKey"] ?? AicmoApiKey.Generate();
var tokenSecret = aicmo["UnsubscribeTokenSecret"] ?? AicmoApiKey.Generate();
var publicUrl = (aicmo["PublicUrl"] ?? builder.Configuration["Urls"]?.Split(';')[0] ?? "http://localhost:5080").TrimEnd('/');

builder.Services.AddAicmoPipeline(o =>
    {
        // The link in List-Unsubscribe carries a signed token that POST /api/v1/unsubscribe accepts (RFC 8058 one-click).
        o.Nurture.UnsubscribeUrlTemplate = publicUrl + "/api/v1/unsubscribe?token={Token}";
        o.Nurture.UnsubscribeTokenSecret = tokenSecret;
    })
    .AddLeadSource(new SyntheticLeadSource(aicmo.GetValue("SyntheticLeads", 2000), seed: 42))
    .AddEmailSender(new RecordingEmailSender { RetainMessages = false })
    .UseSqlite(aicmo["ConnectionString"] ?? "Data Source=aicmo-webapi.db")
    .AddScheduler(o => o.NurturePass = !smoke)
    .AddAicmoApi(o =>
    {
        o.ApiKeys.Add(AicmoApiKey.FromPlainKey("development", apiKey, AicmoApiScopes.Admin));
        o.EmailEventsSecret = aicmo["EmailEventsSecret"];
    });

builder.Services.AddOpenTelemetry()
    .WithMetrics(metrics => metrics
        .AddMeter(AicmoDiagnostics.Name)
        .AddAspNetCoreInstrumentation()
        .AddPrometheusExporter())
    .WithTracing(tracing =>
    {
        tracing.AddSource(AicmoDiagnostics.Name).AddAspNetCoreInstrumentation();
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            tracing.AddOtlpExporter();
        }
    });

var app = builder.Build();
app.MapAicmoApi("/api/v1");
app.MapAicmoDashboard("/dashboard");
app.MapPrometheusScrapingEndpoint("/metrics");

await app.StartAsync();
var url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/');
Console.WriteLine($"Aicmo API:        {url}/api/v1  (OpenAPI: {url}/api/v1/openapi/aicmo.json)");
Console.WriteLine($"Development key:  {apiKey}  (admin scope; send it as X-Api-Key)");
Console.WriteLine($"Dashboard:        {url}/dashboard/  (asks for the key once)");
Console.WriteLine($"Prometheus:       {url}/metrics");
Console.WriteLine($"Try:              curl -H 'X-Api-Key: {apiKey}' {url}/api/v1/campaigns");

if (!smoke)
{
    await app.WaitForShutdownAsync();
    return 0;
}

var failures = await SmokeAsync(url, apiKey);
await app.StopAsync();
foreach (var failure in failures)
{
    Console.Error.WriteLine("smoke check failed: " + failure);
}

Console.WriteLine(failures.Count == 0 ? "smoke check passed" : $"{failures.Count} smoke check(s) failed");
return failures.Count == 0 ? 0 : 1;

static async Task<List<string>> SmokeAsync(string url, string key)
{
    var failures = new List<string>();
    using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
    using (var live = await http.GetAsync("/api/v1/health/live"))
    {
        Check(live.IsSuccessStatusCode, $"/health/live answered {(int)live.StatusCode}");
    }

    using (var page = await http.GetAsync("/dashboard/"))
    {
        Check(page.IsSuccessStatusCode && page.Headers.Contains("Content-Security-Policy"), $"/dashboard/ answered {(int)page.StatusCode} with a content security policy: {page.Headers.Contains("Content-Security-Policy")}");
    }

    using (var anonymous = await http.GetAsync("/api/v1/campaigns"))
    {
        Check((int)anonymous.StatusCode == 401, $"an anonymous GET /campaigns answered {(int)anonymous.StatusCode}, not 401");
    }

    http.DefaultRequestHeaders.Add("X-Api-Key", key);
    using var created = await http.PostAsJsonAsync("/api/v1/campaigns", new { name = "Smoke " + Guid.NewGuid().ToString("N")[..8] });
    Check(created.IsSuccessStatusCode, $"POST /campaigns answered {(int)created.StatusCode}");
    if (!created.IsSuccessStatusCode)
    {
        return failures;
    }

    var campaign = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
    using var started = await http.PostAsJsonAsync($"/api/v1/campaigns/{campaign}/runs", new { maxLeads = 500 });
    Check((int)started.StatusCode == 202, $"POST /runs answered {(int)started.StatusCode}");
    var location = started.Headers.Location?.OriginalString;
    var status = "Running";
    for (var deadline = DateTime.UtcNow.AddSeconds(60); location is not null && status == "Running" && DateTime.UtcNow < deadline; await Task.Delay(100))
    {
        status = (await http.GetFromJsonAsync<JsonElement>(location)).GetProperty("status").GetString();
    }

    Check(status == "Completed", $"the run ended {status}");
    var metrics = await http.GetStringAsync("/metrics");
    Check(metrics.Contains("aicmo_pipeline_leads_processed", StringComparison.Ordinal), "/metrics has no aicmo_pipeline_leads_processed series");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"smoke: campaign {campaign}, run {location} {status}, /metrics {metrics.Length} bytes"));
    return failures;

    void Check(bool ok, string message)
    {
        if (!ok)
        {
            failures.Add(message);
        }
    }
}
