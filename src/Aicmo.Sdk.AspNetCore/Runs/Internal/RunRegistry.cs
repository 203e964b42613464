using System.Collections.Concurrent;
using Aicmo.Sdk.AspNetCore.Live.Internal;
using Aicmo.Sdk.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.AspNetCore.Runs.Internal;

/// <summary>
/// The runs this process started or resumed, by id: what cancel and the live streams work with. One pump per run reads
/// <see cref="IPipelineRun.Events"/> into the run's <see cref="RunEventLog"/>; a finished run stays for
/// <see cref="AicmoApiOptions.FinishedRunRetention"/> so late subscribers can replay it. Disposing cancels the live runs.
/// </summary>
internal sealed partial class RunRegistry(IOptions<AicmoApiOptions> options, TimeProvider time, ILogger<RunRegistry> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, LiveRun> _runs = new();
    private readonly CancellationTokenSource _stopping = new();

    public int Count => _runs.Count;

    public bool TryGet(Guid runId, out LiveRun run) => _runs.TryGetValue(runId, out run!);

    public LiveRun Track(IPipelineRun run, string kind, bool dryRun = false)
    {
        var o = options.Value;
        var live = new LiveRun(run, kind, new RunEventLog(run.RunId, o.ReplayBufferSize, o.SubscriberBufferSize, time)) { DryRun = dryRun };
        _runs[run.RunId] = live;
        _ = Task.Run(() => PumpAsync(live));
        return live;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        var running = _runs.Values.Where(r => r.Result is null).ToList();
        foreach (var r in running)
        {
            r.Run.Cancel();
        }

        // Cancellation drains gracefully (the pipeline's CancellationDrainTimeout); wait for it, not forever.
        await Task.WhenAny(Task.WhenAll(running.Select(r => r.Run.Completion)), Task.Delay(TimeSpan.FromSeconds(30), time)).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task PumpAsync(LiveRun live)
    {
        try
        {
            await foreach (var e in live.Run.Events.ConfigureAwait(false))
            {
                if (e is RunCompleted completed)
                {
                    // The result is set before the completion goes out, so a client that reads the run on "complete" sees it.
                    live.Result = completed.Result;
                    live.Log.Publish(id => RunEventMessages.Envelope(id, e), completes: true);
                    break;
                }

                live.Log.Publish(id => RunEventMessages.Envelope(id, e), completes: false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPumpFailed(logger, e, live.Run.RunId);
        }

        // Should the event stream end without its completion, the result still completes every subscriber (a second one is ignored).
        var result = await live.Run.Completion.ConfigureAwait(false);
        live.Result = result;
        live.Log.Publish(id => RunEventMessages.Envelope(id, new RunCompleted(result.RunId, time.GetUtcNow(), result)), completes: true);

        try
        {
            await Task.Delay(options.Value.FinishedRunRetention, time, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _runs.TryRemove(new KeyValuePair<Guid, LiveRun>(live.Run.RunId, live));
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Reading the events of run {RunId} failed; its completion is still reported.")]
    private static partial void LogPumpFailed(ILogger logger, Exception exception, Guid runId);
}
