using System.Threading.Channels;
using Npgsql;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>
/// Turns one kind of per-lead call made by many concurrent workers (a suppression look-up, an outbox read, reservation or
/// send) into set-based statements: the calls queued while a group is at the server go together in the next group, as one
/// statement over arrays. One round trip then serves up to <c>maxGroup</c> calls instead of one.
/// </summary>
/// <remarks>
/// A group's statement runs in autocommit, so a call completes once the statement holding it is committed, as it would on its
/// own. When the server refuses the statement (for example one entry breaks a constraint), nothing of it was stored, and every
/// call of the group runs again on its own statement, so only the one at fault reports the error, as it would have on its own. When the connection fails, whether the
/// statement committed is unknown: every call of the group reports the error, as it would have on its own.
/// The queue is bounded (<c>capacity</c> calls): when the server falls behind, a caller waits for room before its call is
/// queued (backpressure), so a long-lived host under a burst holds at most that many calls, not every call made.
/// </remarks>
/// <typeparam name="TRequest">What one call asks for.</typeparam>
/// <typeparam name="TResult">What one call gets back.</typeparam>
internal sealed class PostgreSqlCoalescer<TRequest, TResult> : IPostgreSqlBackgroundWriter
{
    private readonly Channel<Call> _queue;
    private readonly Func<List<TRequest>, Task<TResult[]>> _group;
    private readonly Func<TRequest, Task<TResult>> _alone;
    private readonly int _maxGroup;
    private readonly Task _loop;

    /// <param name="group">Runs the calls of a group as one statement; returns their results in the same order.</param>
    /// <param name="alone">Runs one call on its own (after its group was refused).</param>
    /// <param name="maxGroup">The most calls in one group.</param>
    /// <param name="capacity">The most calls queued while a group is at the server; a call beyond it waits for room.</param>
    public PostgreSqlCoalescer(Func<List<TRequest>, Task<TResult[]>> group, Func<TRequest, Task<TResult>> alone, int maxGroup, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, maxGroup);
        _queue = Channel.CreateBounded<Call>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _group = group;
        _alone = alone;
        _maxGroup = maxGroup;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Gets how many calls are queued (not yet taken into a group).</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Queues a call, waiting for room when the queue is full; completes with its result once the group holding it is done.</summary>
    public Task<TResult> RunAsync(TRequest request)
    {
        var call = new Call(request);
        return _queue.Writer.TryWrite(call) ? call.Completion.Task : RunWhenRoomAsync(call);
    }

    private async Task<TResult> RunWhenRoomAsync(Call call)
    {
        try
        {
            await _queue.Writer.WriteAsync(call).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new ObjectDisposedException(nameof(PostgreSqlCoalescer<TRequest, TResult>), ex);
        }

        return await call.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>Stops taking calls and completes once the queued ones are done.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _loop;
    }

    private async Task LoopAsync()
    {
        var reader = _queue.Reader;
        var calls = new List<Call>(_maxGroup);
        var requests = new List<TRequest>(_maxGroup);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (calls.Count < _maxGroup && reader.TryRead(out var call))
            {
                calls.Add(call);
                requests.Add(call.Request);
            }

            try
            {
                var results = await _group(requests).ConfigureAwait(false);
                for (var i = 0; i < calls.Count; i++)
                {
                    calls[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (PostgresException)
            {
                // Also for a group of one: its own statement tells the caller's error apart (a taken id from a duplicate, say).
                foreach (var call in calls)
                {
                    await RunAloneAsync(call).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                foreach (var call in calls)
                {
                    call.Completion.TrySetException(ex);
                }
            }

            calls.Clear();
            requests.Clear();
        }
    }

    private async Task RunAloneAsync(Call call)
    {
        try
        {
            call.Completion.TrySetResult(await _alone(call.Request).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            call.Completion.TrySetException(ex);
        }
    }

    private sealed class Call(TRequest request)
    {
        public TRequest Request { get; } = request;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
