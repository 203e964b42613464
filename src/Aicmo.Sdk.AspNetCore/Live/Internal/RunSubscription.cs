using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Aicmo.Sdk.AspNetCore.Live.Internal;

/// <summary>
/// One subscriber of a run's stream: the replayed events, then the live ones through a bounded buffer that drops its oldest
/// message when full. The next message read after a drop is preceded by a <c>gap</c> marker saying how many were lost.
/// </summary>
internal sealed class RunSubscription : IDisposable
{
    private readonly RunEventLog _log;
    private readonly Guid _runId;
    private readonly IReadOnlyList<RunEventEnvelope> _replay;
    private readonly Channel<RunEventEnvelope> _live;
    private readonly TimeProvider _time;
    private long _missed;

    public RunSubscription(RunEventLog log, Guid runId, IReadOnlyList<RunEventEnvelope> replay, long missedBeforeReplay, int capacity, TimeProvider time)
    {
        _log = log;
        _runId = runId;
        _replay = replay;
        _missed = missedBeforeReplay;
        _time = time;
        _live = Channel.CreateBounded<RunEventEnvelope>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            _ => Interlocked.Increment(ref _missed));
    }

    /// <summary>Gets how many messages this subscriber lost so far.</summary>
    public long Dropped => Interlocked.Read(ref _missed);

    public void Offer(RunEventEnvelope envelope) => _live.Writer.TryWrite(envelope);

    public void Complete() => _live.Writer.TryComplete();

    /// <summary>Reads the replay, then the live messages, until the run completes or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="heartbeat">After this long with no message, yields <see langword="null"/> (a heartbeat); <see langword="null"/> for never.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    public async IAsyncEnumerable<RunEventEnvelope?> ReadAllAsync(TimeSpan? heartbeat, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reported = 0L;
        foreach (var e in _replay)
        {
            if (TakeGap(ref reported) is { } gap)
            {
                yield return gap;
            }

            yield return e;
        }

        var reader = _live.Reader;
        Task<bool>? pending = null;
        while (true)
        {
            bool more;
            if (heartbeat is not { } idleAfter)
            {
                more = await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // One wait stays pending across heartbeats, so an idle stream does not pile up waiters.
                var wait = pending ??= reader.WaitToReadAsync(cancellationToken).AsTask();
                var first = await Task.WhenAny(wait, Task.Delay(idleAfter, _time, cancellationToken)).ConfigureAwait(false);
                if (first != wait)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return null;
                    continue;
                }

                pending = null;
                more = await wait.ConfigureAwait(false);
            }

            if (!more)
            {
                if (TakeGap(ref reported) is { } last)
                {
                    yield return last;
                }

                yield break;
            }

            while (reader.TryRead(out var e))
            {
                if (TakeGap(ref reported) is { } gap)
                {
                    yield return gap;
                }

                yield return e;
            }
        }
    }

    public void Dispose()
    {
        _log.Unsubscribe(this);
        _live.Writer.TryComplete();
    }

    private RunEventEnvelope? TakeGap(ref long reported)
    {
        var missed = Interlocked.Read(ref _missed);
        if (missed == reported)
        {
            return null;
        }

        var marker = RunEventMessages.GapMarker(_runId, _time.GetUtcNow(), missed - reported);
        reported = missed;
        return marker;
    }
}
