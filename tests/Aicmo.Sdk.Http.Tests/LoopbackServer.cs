using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Http.Tests;

/// <summary>A real Kestrel server on 127.0.0.1 and a free port, for protocol tests; it records every request it receives.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ReceivedRequest> _requests;

    private LoopbackServer(WebApplication app, Uri baseAddress, List<ReceivedRequest> requests)
    {
        _app = app;
        BaseAddress = baseAddress;
        _requests = requests;
    }

    public Uri BaseAddress { get; }

    /// <summary>Gets the server's <c>host:port</c>, as the endpoint guard's allow list takes it.</summary>
    public string Endpoint => $"{BaseAddress.Host}:{BaseAddress.Port}";

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<LoopbackServer> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var requests = new List<ReceivedRequest>();
        app.Use(async (context, next) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();

            // The endpoint can read the body too.
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
            lock (requests)
            {
                requests.Add(new ReceivedRequest(DateTimeOffset.UtcNow, context.Request.Method, context.Request.Path + context.Request.QueryString, body));
            }

            await next(context);
        });
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackServer(app, new Uri(address.TrimEnd('/') + "/"), requests);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A request a <see cref="LoopbackServer"/> received.</summary>
internal sealed record ReceivedRequest(DateTimeOffset At, string Method, string PathAndQuery, string Body);
