using System.Globalization;
using System.Net.ServerSentEvents;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.AspNetCore.Runs.Internal;
using Aicmo.Sdk.AspNetCore.Security;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using P = Aicmo.Sdk.AspNetCore.Problems.Internal.Problems;

namespace Aicmo.Sdk.AspNetCore.Live.Internal;

/// <summary>A run's live progress: server-sent events (ids, Last-Event-ID replay, heartbeats) and WebSocket (the same messages).</summary>
internal static class LiveEndpoints
{
    private static readonly byte[] Heartbeat = Encoding.ASCII.GetBytes(": heartbeat\n\n");

    public static void Map(RouteGroupBuilder group, ApiPolicies policies)
    {
        var runs = group.MapGroup("/runs/{runId}").WithTags("Live progress");
        runs.MapGet("/events", EventsAsync).WithName("RunEvents")
            .WithSummary("Follows a run over server-sent events: agent_status, progress and complete, with ids; send Last-Event-ID to resume.")
            .Require(policies, AicmoApiScopes.Read);
        runs.MapGet("/ws", WebSocketAsync).WithName("RunWebSocket")
            .WithSummary("Follows a run over WebSocket: the same messages as the server-sent events, as JSON text frames.")
            .Require(policies, AicmoApiScopes.Read);
    }

    internal static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> EventsAsync(
        HttpContext http, RunRegistry registry, IRunRepository store, IOptions<AicmoApiOptions> options, string runId, string? lastEventId = null)
    {
        if (!RunEndpoints.TryParse(runId, out var guid))
        {
            return P.Validation(http, "runId", "Not a run id.");
        }

        var resumeFrom = http.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header : lastEventId;
        long after = 0;
        if (resumeFrom is not null && (!long.TryParse(resumeFrom, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
        {
            return P.Validation(http, "Last-Event-ID", "A non-negative integer: the id of the last event received.");
        }

        PrepareStreamHeaders(http);
        if (registry.TryGet(guid, out var live))
        {
            var subscription = live.Log.Subscribe(after);
            return TypedResults.ServerSentEvents(Stream(http, subscription, options.Value.HeartbeatInterval, http.RequestAborted));
        }

        var record = await store.GetAsync(guid, http.RequestAborted).ConfigureAwait(false);
        if (record is null)
        {
            return P.NotFound(http, $"No run '{guid}'.");
        }

        if (record.Status == PipelineRunStatus.Running)
        {
            return P.Conflict(http, "The run is running in another process; follow it there.");
        }

        // A run that ended before this process knew it: one 'complete' message from its stored record.
        return TypedResults.ServerSentEvents(Stored(http, record));
    }

    internal static async Task<Results<EmptyHttpResult, ProblemHttpResult>> WebSocketAsync(
        HttpContext http, RunRegistry registry, IOptions<AicmoApiOptions> options, string runId, string? lastEventId = null)
    {
        if (!RunEndpoints.TryParse(runId, out var guid))
        {
            return P.Validation(http, "runId", "Not a run id.");
        }

        if (!http.WebSockets.IsWebSocketRequest)
        {
            return P.Validation(http, "Upgrade", "This endpoint takes a WebSocket upgrade.");
        }

        long after = 0;
        if (lastEventId is not null && (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
        {
            return P.Validation(http, "lastEventId", "A non-negative integer: the id of the last event received.");
        }

        if (!registry.TryGet(guid, out var live))
        {
            return P.NotFound(http, $"No live run '{guid}' in this process.");
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var subscription = live.Log.Subscribe(after);
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        var receiving = ReceiveUntilClosedAsync(socket, closed);
        try
        {
            await foreach (var e in subscription.ReadAllAsync(null, closed.Token).ConfigureAwait(false))
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(e!.Json), WebSocketMessageType.Text, endOfMessage: true, closed.Token).ConfigureAwait(false);
            }

            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "complete", closed.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client went away; its subscription is dropped and the run goes on.
        }

        // Give the client a moment to answer the close frame: cancelling a pending receive aborts the connection.
        await Task.WhenAny(receiving, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
        await closed.CancelAsync().ConfigureAwait(false);
        await receiving.ConfigureAwait(false);
        return TypedResults.Empty;
    }

    /// <summary>
    /// Proxies such as nginx would otherwise buffer the stream and deliver progress late. <c>Cache-Control</c> is
    /// <c>no-cache</c>, set just before the headers go out because the server-sent events result writes its own
    /// <c>no-cache,no-store</c>: with <c>no-store</c>, Chromium hands a fetch body read as a stream to the page unbuffered,
    /// and a stream read to its end is then cancelled before the network reports it complete, so every stream that ended
    /// normally showed as an aborted request (<c>net::ERR_ABORTED</c>). <c>no-cache</c> still makes any cache revalidate.
    /// </summary>
    private static void PrepareStreamHeaders(HttpContext http)
    {
        http.Response.Headers["X-Accel-Buffering"] = "no";
        http.Response.OnStarting(
            static state =>
            {
                var response = (HttpResponse)state;
                if (response.ContentType?.StartsWith("text/event-stream", StringComparison.Ordinal) == true)
                {
                    response.Headers.CacheControl = "no-cache";
                }

                return Task.CompletedTask;
            },
            http.Response);
    }

    private static async IAsyncEnumerable<SseItem<string>> Stream(HttpContext http, RunSubscription subscription, TimeSpan heartbeat, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (subscription)
        {
            await foreach (var e in subscription.ReadAllAsync(heartbeat, cancellationToken).ConfigureAwait(false))
            {
                if (e is null)
                {
                    // A comment line keeps proxies and clients from timing out an idle stream. The formatter has flushed every
                    // item before asking for the next one, so writing between items cannot interleave with it.
                    await http.Response.Body.WriteAsync(Heartbeat, cancellationToken).ConfigureAwait(false);
                    await http.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                yield return e.Id > 0
                    ? new SseItem<string>(e.Json, e.Type) { EventId = e.Id.ToString(CultureInfo.InvariantCulture) }
                    : new SseItem<string>(e.Json, e.Type);
            }
        }
    }

    private static async IAsyncEnumerable<SseItem<string>> Stored(HttpContext http, RunRecord record)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var json = System.Text.Json.JsonSerializer.Serialize(
            new
            {
                id = 1,
                type = RunEventMessages.Complete,
                runId = record.RunId,
                sessionId = record.RunId,
                timestamp = record.CompletedAt ?? record.UpdatedAt ?? record.StartedAt,
                payload = RunResponse.FromRecord(record, RunEndpoints.Links(http, record.RunId)),
            },
            System.Text.Json.JsonSerializerOptions.Web);
        yield return new SseItem<string>(json, RunEventMessages.Complete) { EventId = "1" };
    }

    private static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[1024];
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var message = await socket.ReceiveAsync(buffer, closed.Token).ConfigureAwait(false);
                if (message.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }

        await closed.CancelAsync().ConfigureAwait(false);
    }
}
