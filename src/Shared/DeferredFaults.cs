using System.Diagnostics.CodeAnalysis;

namespace Aicmo.Sdk.Storage.Sql;

/// <summary>
/// The failures of audit writes nobody waited for, kept per lead until the lead's next write reports them (so a lead is never
/// stored past an event that was lost). Bounded: a lead that is never written again would otherwise keep its failure for the
/// life of the process; past <see cref="Capacity"/> failures, the oldest is forgotten.
/// </summary>
/// <remarks>
/// Compiled into each SQL store package (linked source). Forgetting a failure lets that lead's next write go ahead without the
/// lost event; a lost creation event is written again when a run resumes the lead, and the pipeline writes every other event
/// with its lead, so only events appended on their own can be lost that way.
/// </remarks>
internal sealed class DeferredFaults(int capacity)
{
    private readonly object _gate = new();
    private readonly Dictionary<Guid, Exception> _faults = [];
    private readonly Queue<Guid> _order = new();
    private volatile int _count;

    /// <summary>Gets the most failures kept.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Gets how many failures are kept.</summary>
    public int Count => _count;

    /// <summary>Gets how many lead ids the eviction order holds (some already taken), at most about twice <see cref="Capacity"/>.</summary>
    public int OrderLength
    {
        get
        {
            lock (_gate)
            {
                return _order.Count;
            }
        }
    }

    /// <summary>Gets whether no failure is kept (a read without a lock, for the hot path).</summary>
    public bool IsEmpty => _count == 0;

    /// <summary>Keeps the failure of a write of <paramref name="leadId"/>, forgetting the oldest when <see cref="Capacity"/> are kept.</summary>
    public void Record(Guid leadId, Exception exception)
    {
        lock (_gate)
        {
            if (_faults.TryAdd(leadId, exception))
            {
                _order.Enqueue(leadId);
            }
            else
            {
                _faults[leadId] = exception;
            }

            while (_faults.Count > Capacity && _order.TryDequeue(out var oldest))
            {
                _faults.Remove(oldest);
            }

            // Ids taken since they were queued are skipped above; compact once they make up most of the queue.
            if (_order.Count > 2 * Capacity)
            {
                var live = _order.Where(_faults.ContainsKey).Distinct().ToArray();
                _order.Clear();
                foreach (var id in live)
                {
                    _order.Enqueue(id);
                }
            }

            _count = _faults.Count;
        }
    }

    /// <summary>Takes (and forgets) the failure kept for <paramref name="leadId"/>, if any.</summary>
    public bool TryTake(Guid leadId, [NotNullWhen(true)] out Exception? exception)
    {
        exception = null;
        if (IsEmpty)
        {
            return false;
        }

        lock (_gate)
        {
            var found = _faults.Remove(leadId, out exception);
            _count = _faults.Count;
            return found;
        }
    }
}
