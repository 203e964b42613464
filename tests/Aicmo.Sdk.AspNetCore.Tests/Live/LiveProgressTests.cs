using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Aicmo.Sdk.AspNetCore.Tests.Support;

namespace Aicmo.Sdk.AspNetCore.Tests.Live;

/// <summary>SSE and WebSocket against real Kestrel on loopback, with real clients.</summary>
public class LiveProgressTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Sse_StreamsIdsTypesAndEndsWithComplete_WithNoBufferingHeader()
    {
        var gate = new TaskCompletionSource();
        await using var host = await ApiHost.StartAsync(kestrel: true, pipeline: p => p.AddLeadSource(new GatedLeadSource(gate.Task, 50)));
        using var client = host.As(ApiHost.OperateKey);
        var location = await StartRunAsync(host, client);
        using var cts = new CancellationTokenSource(Timeout);

        using var sse = await OpenSseAsync(client, location + "/events", null, cts.Token);
        var first = await sse.NextAsync(cts.Token);
        gate.SetResult();
        var rest = await sse.ReadToEndAsync(cts.Token);
        var events = rest.Prepend(first!).ToList();

        Assert.Equal("text/event-stream", sse.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no", sse.Response.Headers.GetValues("X-Accel-Buffering").Single());
        Assert.Equal("agent_status", events[0].Type);
        Assert.Equal("started", events[0].Json.GetProperty("payload").GetProperty("status").GetString());
        Assert.Equal("complete", events[^1].Type);
        Assert.Single(events, e => e.Type == "complete");
        var ids = events.Select(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var e in events)
        {
            var json = e.Json;
            Assert.Equal(e.Type, json.GetProperty("type").GetString());
            Assert.Equal(json.GetProperty("runId").GetGuid(), json.GetProperty("sessionId").GetGuid());
            Assert.True(json.TryGetProperty("timestamp", out _));
        }

        Assert.True(events[^1].Json.GetProperty("payload").GetProperty("balanced").GetBoolean());
    }

    [Fact]
    public async Task Sse_ReconnectWithLastEventId_ReplaysOnlyLaterEvents()
    {
        await using var host = await ApiHost.StartAsync(kestrel: true);
        using var client = host.As(ApiHost.OperateKey);
        var location = await StartRunAsync(host, client);
        using var cts = new CancellationTokenSource(Timeout);
        using var full = await OpenSseAsync(client, location + "/events", null, cts.Token);
        var all = await full.ReadToEndAsync(cts.Token);
        Assert.True(all.Count >= 3, $"Expected several events, got {all.Count}.");
        var resumeAfter = all[1].Id!;

        using var again = await OpenSseAsync(client, location + "/events", resumeAfter, cts.Token);
        var replayed = await again.ReadToEndAsync(cts.Token);

        Assert.Equal(all.Skip(2).Select(e => e.Id), replayed.Select(e => e.Id));
        Assert.Equal(all.Skip(2).Select(e => e.Data), replayed.Select(e => e.Data));
    }

    [Fact]
    public async Task Sse_IdleStream_GetsHeartbeatComments()
    {
        var gate = new TaskCompletionSource();
        await using var host = await ApiHost.StartAsync(o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(100), kestrel: true,
            pipeline: p => p.AddLeadSource(new GatedLeadSource(gate.Task, 10)));
        using var client = host.As(ApiHost.OperateKey);
        var location = await StartRunAsync(host, client);
        using var cts = new CancellationTokenSource(Timeout);
        using var sse = await OpenSseAsync(client, location + "/events", null, cts.Token);
        await sse.NextAsync(cts.Token);

        // Progress events keep coming while the source waits; heartbeats go out only on quiet, so wait for one to show up.
        while (sse.Comments == 0)
        {
            Assert.NotNull(await sse.NextAsync(cts.Token).WaitAsync(TimeSpan.FromSeconds(30)));
        }

        gate.SetResult();
        var rest = await sse.ReadToEndAsync(cts.Token);
        Assert.Equal("complete", rest[^1].Type);
    }

    [Fact]
    public async Task WebSocket_ReceivesTypedMessagesAndComplete_ThenCloses()
    {
        await using var host = await ApiHost.StartAsync(kestrel: true);
        using var client = host.As(ApiHost.OperateKey);
        var location = await StartRunAsync(host, client);
        using var cts = new CancellationTokenSource(Timeout);

        var messages = await ReadWebSocketAsync(host, location, cts.Token);

        Assert.NotEmpty(messages);
        Assert.Equal("complete", messages[^1].GetProperty("type").GetString());
        Assert.All(messages, m => Assert.Contains(m.GetProperty("type").GetString(), new[] { "agent_status", "progress", "complete", "gap" }));
        Assert.All(messages, m => Assert.Equal(m.GetProperty("runId").GetGuid(), m.GetProperty("sessionId").GetGuid()));
    }

    [Fact]
    public async Task HundredRunsAtOnce_EachWithSseAndWebSocketSubscribers_AllCompleteBalancedAndEverySubscriberSeesCompletion()
    {
        const int Runs = 100;
        await using var host = await ApiHost.StartAsync(o => o.RateLimitPermits = 100_000, kestrel: true, leadsPerSource: 100);
        using var client = host.As(ApiHost.OperateKey);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var campaigns = new List<string>();
        for (var i = 0; i < Runs; i++)
        {
            campaigns.Add(await host.CreateCampaignAsync("Load " + i));
        }

        var starts = await Task.WhenAll(campaigns.Select(id => client.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody("{}"), cts.Token)));
        Assert.All(starts, s => Assert.Equal(HttpStatusCode.Accepted, s.StatusCode));
        var locations = starts.Select(s => s.Headers.Location!.OriginalString).ToList();

        var sse = locations.Select(async l =>
        {
            using var stream = await OpenSseAsync(client, l + "/events", null, cts.Token);
            return (await stream.ReadToEndAsync(cts.Token))[^1];
        }).ToList();
        var ws = locations.Where((_, i) => i % 4 == 0).Select(l => ReadWebSocketAsync(host, l, cts.Token)).ToList();

        var sseLast = await Task.WhenAll(sse);
        var wsAll = await Task.WhenAll(ws);

        Assert.All(sseLast, e => Assert.Equal("complete", e.Type));
        Assert.All(sseLast, e => Assert.True(e.Json.GetProperty("payload").GetProperty("balanced").GetBoolean()));
        Assert.All(wsAll, m => Assert.Equal("complete", m[^1].GetProperty("type").GetString()));
        foreach (var location in locations)
        {
            var run = await host.WaitForRunAsync(client, location);
            Assert.Equal("Completed", run.GetProperty("status").GetString());
            Assert.True(run.GetProperty("balanced").GetBoolean());
            Assert.Equal(100, run.GetProperty("harvested").GetInt64());
        }

        foreach (var s in starts)
        {
            s.Dispose();
        }
    }

    private static async Task<string> StartRunAsync(ApiHost host, HttpClient client)
    {
        var id = await host.CreateCampaignAsync();
        using var started = await client.PostAsync($"/api/v1/campaigns/{id}/runs", ApiHost.JsonBody("{}"));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return started.Headers.Location!.OriginalString;
    }

    private static async Task<SseClient> OpenSseAsync(HttpClient client, string url, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new SseClient(response);
    }

    private static async Task<List<JsonElement>> ReadWebSocketAsync(ApiHost host, string location, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Api-Key", ApiHost.ReadKey);
        var uri = new UriBuilder(host.BaseAddress) { Scheme = "ws", Path = location + "/ws" }.Uri;
        await socket.ConnectAsync(uri, cancellationToken);
        var messages = new List<JsonElement>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                return messages;
            }

            messages.Add(JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement.Clone());
        }
    }
}
