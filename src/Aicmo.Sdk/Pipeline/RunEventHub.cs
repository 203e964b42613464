using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// Fans a run's events out to any number of subscribers. Milestones are retained so a late subscriber sees the run from its
/// start; progress events are only delivered live. A slow subscriber loses its oldest events, never blocks the run.
/// </summary>
internal sealed class RunEventHub(int maxRetainedQuarantines)
{
    private const int SubscriberCapacity = 4096;
    private readonly object _gate = new();
    private readonly List<PipelineEvent> _history = [];
    private readonly List<Channel<PipelineEvent>> _subscribers = [];
    private readonly List<RunAnnotation> _early = [];
    private int _retainedQuarantines;
    private bool _started;
    private bool _completed;

    /// <summary>
    /// Adds an annotation of the run's owner; one added before <see cref="RunStarted"/> goes out right after it, so the run's
    /// stream still begins with its start. Returns <see langword="false"/> once the run has completed.
    /// </summary>
    public bool Annotate(RunAnnotation annotation)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }

            if (_started)
            {
                PublishLocked(annotation);
            }
            else
            {
                _early.Add(annotation);
            }

            return true;
        }
    }

    public void Publish(PipelineEvent e)
    {
        lock (_gate)
        {
            PublishLocked(e);
            if (e is RunStarted && !_started)
            {
                _started = true;
                foreach (var annotation in _early)
                {
                    PublishLocked(annotation);
                }

                _early.Clear();
            }
        }
    }

    private void PublishLocked(PipelineEvent e)
    {
        if (_completed)
        {
            return;
        }

        var retain = e switch
        {
            StageProgress => false,
            LeadQuarantined => _retainedQuarantines++ < maxRetainedQuarantines,
            _ => true,
        };
        if (retain)
        {
            _history.Add(e);
        }

        foreach (var subscriber in _subscribers)
        {
            subscriber.Writer.TryWrite(e);
        }

        if (e is RunCompleted)
        {
            _completed = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }

            _subscribers.Clear();
        }
    }

    /// <summary>Replaces the error messages of the retained quarantine events of erased leads.</summary>
    public void Redact(IReadOnlyCollection<Guid> leadIds, string replacement)
    {
        lock (_gate)
        {
            for (var i = 0; i < _history.Count; i++)
            {
                if (_history[i] is LeadQuarantined q && leadIds.Contains(q.LeadId))
                {
                    _history[i] = q with { Fault = q.Fault with { Message = replacement } };
                }
            }
        }
    }

    public async IAsyncEnumerable<PipelineEvent> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<PipelineEvent>(new BoundedChannelOptions(SubscriberCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
        lock (_gate)
        {
            foreach (var e in _history)
            {
                channel.Writer.TryWrite(e);
            }

            if (_completed)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _subscribers.Add(channel);
            }
        }

        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }
}
