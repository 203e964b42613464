using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;

namespace Aicmo.Sdk.Storage;

/// <summary>A thread-safe in-memory <see cref="IAuditLog"/>; each lead's trail is kept in sequence order, one event per sequence.</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private readonly ConcurrentDictionary<Guid, List<AuditEvent>> _trails = new();

    /// <inheritdoc />
    public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var trail = _trails.GetOrAdd(auditEvent.LeadId, static _ => new List<AuditEvent>(8));
        lock (trail)
        {
            Insert(trail, auditEvent);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<long> PruneAsync(DateTimeOffset olderThan, IReadOnlyCollection<LeadStatus> states, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(states);
        long deleted = 0;
        foreach (var trail in _trails.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (trail)
            {
                var last = trail.Count > 1 ? trail[^1] : null;
                if (last is not null && states.Contains(last.To))
                {
                    deleted += trail.RemoveAll(e => e.Timestamp < olderThan && !ReferenceEquals(e, last));
                }
            }
        }

        return new(deleted);
    }

    /// <summary>
    /// Runs <paramref name="write"/> (a lead's compare-and-set) under the lock of the lead's trail and appends
    /// <paramref name="auditEvents"/> under the same lock only when it returns <see langword="true"/>: a reader of the trail sees
    /// the events of a write together, and never those of a write that lost.
    /// </summary>
    internal bool AppendIf<TState>(Guid leadId, ReadOnlyMemory<AuditEvent> auditEvents, TState state, Func<TState, bool> write)
    {
        var trail = _trails.GetOrAdd(leadId, static _ => new List<AuditEvent>(8));
        lock (trail)
        {
            if (!write(state))
            {
                return false;
            }

            foreach (var auditEvent in auditEvents.Span)
            {
                Insert(trail, auditEvent);
            }

            return true;
        }
    }

    /// <summary>Adds to <paramref name="reasons"/> the reason of every event of <paramref name="campaignId"/> that moved a lead to <paramref name="to"/>.</summary>
    internal void CountReasons(string campaignId, LeadStatus to, Dictionary<string, long> reasons)
    {
        foreach (var pair in _trails)
        {
            var trail = pair.Value;
            lock (trail)
            {
                foreach (var e in trail)
                {
                    if (e.To == to && e.CampaignId == campaignId)
                    {
                        reasons[e.Reason] = reasons.GetValueOrDefault(e.Reason) + 1;
                    }
                }
            }
        }
    }

    private static void Insert(List<AuditEvent> trail, AuditEvent auditEvent)
    {
        // Events of one lead normally arrive in order; insert in place when they do not. One event per sequence: an event
        // appended again for a sequence replaces the one stored.
        var index = trail.Count;
        while (index > 0 && trail[index - 1].Sequence > auditEvent.Sequence)
        {
            index--;
        }

        if (index > 0 && trail[index - 1].Sequence == auditEvent.Sequence)
        {
            trail[index - 1] = auditEvent;
        }
        else
        {
            trail.Insert(index, auditEvent);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(Guid leadId, CancellationToken cancellationToken = default)
    {
        if (!_trails.TryGetValue(leadId, out var trail))
        {
            return new(Array.Empty<AuditEvent>());
        }

        lock (trail)
        {
            return new(trail.ToArray());
        }
    }

    /// <inheritdoc />
    public ValueTask<int> RedactAsync(Guid leadId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (!_trails.TryGetValue(leadId, out var trail))
        {
            return new(0);
        }

        lock (trail)
        {
            var changed = 0;
            for (var i = 0; i < trail.Count; i++)
            {
                if (trail[i].Stage != LeadEraser.Stage)
                {
                    trail[i] = trail[i] with { Reason = reason };
                    changed++;
                }
            }

            return new(changed);
        }
    }
}
