using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aicmo.Sdk.AspNetCore;
using Aicmo.Sdk.AspNetCore.Security;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.AspNetCore.Tests.Support;

/// <summary>
/// A real ASP.NET Core host with the API mapped at /api/v1, on the in-memory test server (the one WebApplicationFactory uses) or on
/// Kestrel on loopback, with three API keys (read, operate, admin) and synthetic lead sources.
/// </summary>
internal sealed class ApiHost : IAsyncDisposable
{
    public const string ReadKey = "read-key-0123456789abcdef";
    public const string OperateKey = "operate-key-0123456789abcdef";
    public const string AdminKey = "admin-key-0123456789abcdef";

    public static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    private ApiHost(WebApplication app, HttpClient client, Uri baseAddress)
    {
        App = app;
        Client = client;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    /// <summary>Gets a client with no credentials.</summary>
    public HttpClient Client { get; }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<ApiHost> StartAsync(
        Action<AicmoApiOptions>? api = null,
        bool kestrel = false,
        int leadsPerSource = 200,
        Action<IAicmoPipelineBuilder>? pipeline = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("AICMO_TEST_LOGS") == "1")
        {
            builder.Logging.AddConsole();
        }

        if (kestrel)
        {
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        var aicmo = builder.Services.AddAicmoPipeline(o => o.ProgressInterval = TimeSpan.FromMilliseconds(20))
            .AddLeadSource(new SyntheticLeadSource(leadsPerSource))
            .AddEmailSender(new RecordingEmailSender());
        pipeline?.Invoke(aicmo);
        aicmo.AddAicmoApi(o =>
        {
            o.ApiKeys.Add(AicmoApiKey.FromPlainKey("reader", ReadKey, AicmoApiScopes.Read));
            o.ApiKeys.Add(AicmoApiKey.FromPlainKey("operator", OperateKey, AicmoApiScopes.Operate));
            o.ApiKeys.Add(AicmoApiKey.FromPlainKey("admin", AdminKey, AicmoApiScopes.Admin));
            api?.Invoke(o);
        });
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapAicmoApi("/api/v1");
        await app.StartAsync();

        if (kestrel)
        {
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
            return new ApiHost(app, new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) }, address);
        }

        var client = app.GetTestClient();
        return new ApiHost(app, client, client.BaseAddress!);
    }

    /// <summary>Creates a client sending <paramref name="key"/> in X-Api-Key.</summary>
    public HttpClient As(string key)
    {
        var client = App.Services.GetService<IServer>() is TestServer server ? server.CreateClient() : new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Json);

    /// <summary>Creates a campaign through the API and returns its id.</summary>
    public async Task<string> CreateCampaignAsync(string? name = null, string? extra = null)
    {
        using var client = As(OperateKey);
        name ??= "Campaign " + Guid.NewGuid().ToString("N")[..8];
        var body = $$"""{"name": {{JsonSerializer.Serialize(name)}}{{(extra is null ? "" : ", " + extra)}}}""";
        using var response = await client.PostAsync("/api/v1/campaigns", JsonBody(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ReadJsonAsync(response)).GetProperty("id").GetString()!;
    }

    /// <summary>Waits until the run's record says it ended, and returns the run as the API shows it.</summary>
    public async Task<JsonElement> WaitForRunAsync(HttpClient client, string location, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            using var response = await client.GetAsync(location);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var run = await ReadJsonAsync(response);
            if (run.GetProperty("status").GetString() != nameof(PipelineRunStatus.Running))
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Run {location} did not end in time.");
            await Task.Delay(20);
        }
    }

    public static void AssertProblem(JsonElement problem, int status, string type)
    {
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal(type, problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("requestId").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        var text = problem.GetRawText();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    public static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type, string? field = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadJsonAsync(response);
        AssertProblem(problem, (int)status, type);
        if (field is not null)
        {
            Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _),
                $"The problem does not name the field '{field}': {problem.GetRawText()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
