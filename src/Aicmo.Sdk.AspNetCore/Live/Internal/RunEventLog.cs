using System.Threading.Channels;

namespace Aicmo.Sdk.AspNetCore.Live.Internal;

/// <summary>
/// A run's stream of wire messages, numbered from 1: kept for replay (every milestone, and the latest
/// <see cref="AicmoApiOptions.ReplayBufferSize"/> others) and fanned out to any number of subscribers. Publishing never waits:
/// each subscriber has a bounded buffer that drops its oldest message when full and then reports a gap, so a slow subscriber
/// never slows the run or the other subscribers.
/// </summary>
internal sealed class RunEventLog(Guid runId, int replayLimit, int subscriberBuffer, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<RunEventEnvelope> _kept = [];
    private readonly HashSet<RunSubscription> _subscribers = [];
    private long _lastId;
    private int _droppedFromReplay;

    public Guid RunId => runId;

    public bool IsComplete { get; private set; }

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Numbers, keeps and fans out one event. Called by one pump per run.</summary>
    public void Publish(Func<long, RunEventEnvelope> create, bool completes)
    {
        lock (_gate)
        {
            if (IsComplete)
            {
                return;
            }

            var envelope = create(++_lastId);
            _kept.Add(envelope);
            if (_kept.Count - CountMilestones() > replayLimit)
            {
                var oldest = _kept.FindIndex(e => !e.Milestone);
                _kept.RemoveAt(oldest);
                _droppedFromReplay++;
            }

            foreach (var subscriber in _subscribers)
            {
                subscriber.Offer(envelope);
            }

            if (completes)
            {
                IsComplete = true;
                foreach (var subscriber in _subscribers)
                {
                    subscriber.Complete();
                }

                _subscribers.Clear();
            }
        }
    }

    /// <summary>Subscribes after <paramref name="lastEventId"/> (0 for everything): the kept events after it, then the live ones.</summary>
    public RunSubscription Subscribe(long lastEventId)
    {
        lock (_gate)
        {
            var replay = _kept.Where(e => e.Id > lastEventId).ToList();

            // Events after lastEventId that are no longer kept: the subscriber is told how many it missed.
            var missed = Math.Max(0, _lastId - lastEventId - replay.Count);
            var subscription = new RunSubscription(this, runId, replay, missed, subscriberBuffer, time);
            if (IsComplete)
            {
                subscription.Complete();
            }
            else
            {
                _subscribers.Add(subscription);
            }

            return subscription;
        }
    }

    public void Unsubscribe(RunSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
        }
    }

    private int CountMilestones()
    {
        var n = 0;
        foreach (var e in _kept)
        {
            n += e.Milestone ? 1 : 0;
        }

        return n;
    }
}
