using System.Collections.Concurrent;

namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>
/// The runs this process joined, each with the token that ends its part in them: cancelled when the run's origin announces the
/// end or cancellation, when the run has had no batch in flight here for the idle timeout, or when the process stops
/// participating. Also remembers the runs announced ended (a day long, with when that start of the run began), so a late batch
/// of one is not joined again, while the same run resumed later (a new start) is.
/// </summary>
internal sealed class RabbitMqParticipations : IDisposable
{
    private static readonly TimeSpan EndedKept = TimeSpan.FromDays(1);
    // Store timestamps are kept to the microsecond (PostgreSQL): starts this close are the same start.
    private static readonly TimeSpan SameStart = TimeSpan.FromMilliseconds(1);
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset StartedAt, DateTimeOffset At)> _ended = new();
    private readonly ConcurrentDictionary<Guid, Participation> _runs = new();
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;

    public RabbitMqParticipations(TimeSpan idleTimeout, TimeProvider time)
    {
        _idleTimeout = idleTimeout;
        _time = time;
        var period = idleTimeout / 4 < TimeSpan.FromSeconds(1) ? idleTimeout / 4 : TimeSpan.FromSeconds(1);
        _timer = time.CreateTimer(static s => ((RabbitMqParticipations)s!).LeaveIdle(), this, period, period);
    }

    /// <summary>Notes that the start of the run that began at <paramref name="startedAt"/> ended, and ends this process's part in it; false when it was noted before.</summary>
    public bool End(Guid runId, DateTimeOffset startedAt)
    {
        var now = _time.GetUtcNow();
        var first = !(_ended.TryGetValue(runId, out var known) && (known.StartedAt - startedAt).Duration() < SameStart);
        _ended[runId] = (startedAt, now);
        Leave(runId);
        foreach (var (id, ended) in _ended)
        {
            if (now - ended.At > EndedKept)
            {
                _ended.TryRemove(id, out _);
            }
        }

        return first;
    }

    /// <summary>
    /// Returns the token that ends this process's part in the start of the run that began at <paramref name="startedAt"/>
    /// (cancelled already when that start was announced ended).
    /// </summary>
    public CancellationToken Token(Guid runId, DateTimeOffset startedAt)
    {
        if (_ended.TryGetValue(runId, out var ended))
        {
            if ((ended.StartedAt - startedAt).Duration() < SameStart)
            {
                return new CancellationToken(canceled: true);
            }

            // The run was resumed: a new start, joined again.
            _ended.TryRemove(runId, out _);
        }

        return _runs.GetOrAdd(runId, static (_, now) => new Participation(now), _time.GetTimestamp()).Ended.Token;
    }

    /// <summary>A batch of the run is being worked on here: the run is not idle.</summary>
    public void Enter(Guid runId)
    {
        if (_runs.TryGetValue(runId, out var participation))
        {
            Interlocked.Increment(ref participation.InFlight);
            Volatile.Write(ref participation.LastActivity, _time.GetTimestamp());
        }
    }

    /// <summary>A batch of the run is done with here.</summary>
    public void Exit(Guid runId)
    {
        if (_runs.TryGetValue(runId, out var participation))
        {
            Interlocked.Decrement(ref participation.InFlight);
            Volatile.Write(ref participation.LastActivity, _time.GetTimestamp());
        }
    }

    /// <summary>Ends this process's part in every run it joined.</summary>
    public void LeaveAll()
    {
        foreach (var runId in _runs.Keys)
        {
            Leave(runId);
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        LeaveAll();
    }

    private void Leave(Guid runId)
    {
        if (_runs.TryRemove(runId, out var participation))
        {
            // Not disposed: the participant's linked token may still be registered on it.
            participation.Ended.Cancel();
        }
    }

    private void LeaveIdle()
    {
        foreach (var (runId, participation) in _runs)
        {
            if (Volatile.Read(ref participation.InFlight) <= 0 && _time.GetElapsedTime(Volatile.Read(ref participation.LastActivity)) > _idleTimeout)
            {
                Leave(runId);
            }
        }
    }

    private sealed class Participation(long now)
    {
        public readonly CancellationTokenSource Ended = new();
        public int InFlight;
        public long LastActivity = now;
    }
}
