using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aicmo.Sdk.AspNetCore.Security;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Aicmo.Sdk.AspNetCore.Browser.Tests;

/// <summary>
/// One real host and one browser for a test class: Kestrel on loopback (port 0) with the API at /api/v1 and the dashboard at
/// /dashboard over a SQLite file, and Debian's chromium (AICMO_CHROMIUM_PATH, else /usr/bin/chromium) driven headless by Playwright.
/// A campaign with one completed run is there from the start.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string ReadKey = "dashboard-read-key-0123456789";
    public const string OperateKey = "dashboard-operate-key-0123456789";
    public const string AdminKey = "dashboard-admin-key-0123456789";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "aicmo-dashboard-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public CampaignFailures Failures { get; } = new();

    public string SeededCampaignId { get; private set; } = null!;

    public static string? ChromiumPath()
    {
        var configured = Environment.GetEnvironmentVariable("AICMO_CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        return new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(Failures);
        builder.Services.AddAicmoPipeline(o => o.ProgressInterval = TimeSpan.FromMilliseconds(50))
            .AddLeadSource(new PacedLeadSource(600, TimeSpan.FromMilliseconds(25)))
            .AddEnricher<FailingEnricher>()
            .AddEmailSender(new RecordingEmailSender())
            .UseSqlite("Data Source=" + Path.Combine(_directory, "aicmo.db"))
            .ConfigureAicmoAlerts(o => o.ConsecutiveFailedRuns = 2)
            .AddAicmoApi(o =>
            {
                o.ApiKeys.Add(AicmoApiKey.FromPlainKey("reader", ReadKey, AicmoApiScopes.Read));
                o.ApiKeys.Add(AicmoApiKey.FromPlainKey("operator", OperateKey, AicmoApiScopes.Operate));
                o.ApiKeys.Add(AicmoApiKey.FromPlainKey("admin", AdminKey, AicmoApiScopes.Admin));
            });
        _app = builder.Build();
        _app.MapAicmoApi("/api/v1");
        _app.MapAicmoDashboard("/dashboard");
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

        var chromium = ChromiumPath() ?? throw new InvalidOperationException(
            "No chromium: set AICMO_CHROMIUM_PATH or source .ci/services.d/chromium.sh (it installs Debian's chromium).");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });

        SeededCampaignId = await CreateCampaignAsync("Seeded campaign");
        await RunAsync(SeededCampaignId, 120);
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
        client.DefaultRequestHeaders.Add(AicmoApiDefaults.ApiKeyHeader, key);
        return client;
    }

    public async Task<string> CreateCampaignAsync(string name)
    {
        using var client = Client(OperateKey);
        using var response = await client.PostAsync("/api/v1/campaigns", new StringContent(
            JsonSerializer.Serialize(new { name = name + " " + Guid.NewGuid().ToString("N")[..6] }), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Starts a run over the API and waits until it ends; returns the run as the API shows it.</summary>
    public async Task<JsonElement> RunAsync(string campaignId, int maxLeads)
    {
        using var client = Client(OperateKey);
        using var started = await client.PostAsync($"/api/v1/campaigns/{campaignId}/runs", new StringContent(
            JsonSerializer.Serialize(new { maxLeads }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return await WaitForRunAsync(started.Headers.Location!.OriginalString);
    }

    public async Task<JsonElement> WaitForRunAsync(string location)
    {
        using var client = Client(ReadKey);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await client.GetFromJsonAsync<JsonElement>(location);
            if (run.GetProperty("status").GetString() != nameof(PipelineRunStatus.Running))
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Run {location} did not end in time.");
            await Task.Delay(50);
        }
    }

    public async Task<JsonElement> GetJsonAsync(string path, string key = ReadKey)
    {
        using var client = Client(key);
        return await client.GetFromJsonAsync<JsonElement>(path);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
