using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>
/// Stores leads with the audit events of their changes: in one atomic write where the lead repository stores events itself
/// (<see cref="ILeadRepository.UpdateManyWithEventsAsync"/>, <see cref="ILeadRepository.TryAddManyWithEventsAsync"/>),
/// else the leads first and then the events of those stored, through the audit log. Either way the events of a refused
/// compare-and-set (or of a duplicate) are never stored. The only way the pipeline, nurture passes and erasure write a lead.
/// </summary>
internal static class LeadWrites
{
    private static readonly ConcurrentDictionary<(Type Type, string Method), bool> Implemented = new();

    /// <summary>
    /// Stores each lead with the events it gathered since it was last stored (<see cref="Lead.UnstoredEvents"/>), and forgets
    /// those events once its write is decided: stored with it, or refused (another writer's state wins, and its events with it).
    /// When the call throws, every lead keeps its events.
    /// </summary>
    public static async ValueTask StoreManyAsync(
        ILeadRepository leads, IAuditLog audit, ReadOnlyMemory<LeadUpdate> updates, Memory<bool> updated, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var update in updates.Span)
        {
            count += update.Lead.UnstoredEvents?.Count ?? 0;
        }

        var events = count == 0 ? [] : new AuditEvent[count];
        var k = 0;
        foreach (var update in updates.Span)
        {
            if (update.Lead.UnstoredEvents is { } own)
            {
                own.CopyTo(events, k);
                k += own.Count;
            }
        }

        await UpdateManyAsync(leads, audit, updates, events, updated, cancellationToken).ConfigureAwait(false);
        foreach (var update in updates.Span)
        {
            update.Lead.UnstoredEvents?.Clear();
        }
    }

    /// <summary>Stores one lead with the events it gathered since it was last stored (see <see cref="StoreManyAsync"/>).</summary>
    public static async ValueTask<bool> StoreAsync(ILeadRepository leads, IAuditLog audit, Lead lead, long expectedVersion, CancellationToken cancellationToken)
    {
        var updated = new bool[1];
        await StoreManyAsync(leads, audit, new[] { new LeadUpdate(lead, expectedVersion) }, updated, cancellationToken).ConfigureAwait(false);
        return updated[0];
    }

    /// <summary>
    /// Adds the leads and appends the events of those added (their creation); in one atomic write where the repository can
    /// (<see cref="ILeadRepository.TryAddManyWithEventsAsync"/>), else the leads first and then the events of those added.
    /// </summary>
    public static async ValueTask AddManyAsync(
        ILeadRepository leads, IAuditLog audit, ReadOnlyMemory<Lead> added, ReadOnlyMemory<AuditEvent> auditEvents, Memory<bool> results, CancellationToken cancellationToken)
    {
        if (Implements(leads, nameof(ILeadRepository.TryAddManyWithEventsAsync)))
        {
            await leads.TryAddManyWithEventsAsync(added, auditEvents, results, cancellationToken).ConfigureAwait(false);
            return;
        }

        var owners = LeadEventOwners.Of(added, auditEvents);
        await leads.TryAddManyAsync(added, results, cancellationToken).ConfigureAwait(false);
        var stored = Applied(owners, auditEvents, results);
        if (stored.Length > 0)
        {
            await audit.AppendManyAsync(stored, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Applies the updates and appends the events of the leads updated; atomically per lead where the repository can.</summary>
    public static async ValueTask UpdateManyAsync(
        ILeadRepository leads, IAuditLog audit, ReadOnlyMemory<LeadUpdate> updates, ReadOnlyMemory<AuditEvent> auditEvents, Memory<bool> updated, CancellationToken cancellationToken)
    {
        if (Implements(leads, nameof(ILeadRepository.UpdateManyWithEventsAsync)))
        {
            await leads.UpdateManyWithEventsAsync(updates, auditEvents, updated, cancellationToken).ConfigureAwait(false);
            return;
        }

        await leads.UpdateManyAsync(updates, updated, cancellationToken).ConfigureAwait(false);
        var stored = StoredEvents(updates, auditEvents, updated);
        if (stored.Length > 0)
        {
            await audit.AppendManyAsync(stored, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Applies one update and appends its events when it is applied; atomically where the repository can.</summary>
    public static async ValueTask<bool> UpdateAsync(
        ILeadRepository leads, IAuditLog audit, Lead lead, long expectedVersion, ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        var updated = new bool[1];
        await UpdateManyAsync(leads, audit, new[] { new LeadUpdate(lead, expectedVersion) }, auditEvents, updated, cancellationToken).ConfigureAwait(false);
        return updated[0];
    }

    /// <summary>Erases a lead and appends its events when it is erased; atomically where the repository can.</summary>
    public static async ValueTask<bool> EraseAsync(
        ILeadRepository leads, IAuditLog audit, Lead anonymized, long expectedVersion, ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        if (Implements(leads, nameof(ILeadRepository.EraseWithEventsAsync)))
        {
            return await leads.EraseWithEventsAsync(anonymized, expectedVersion, auditEvents, cancellationToken).ConfigureAwait(false);
        }

        if (!await leads.EraseAsync(anonymized, expectedVersion, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await audit.AppendManyAsync(auditEvents, CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    private static ReadOnlyMemory<AuditEvent> StoredEvents(ReadOnlyMemory<LeadUpdate> updates, ReadOnlyMemory<AuditEvent> auditEvents, Memory<bool> updated) =>
        Applied(LeadEventOwners.Of(updates, auditEvents), auditEvents, updated);

    // The events whose owner (the index of their lead) was written: the events as given when every owner was (an audit log
    // copies what it appends), else a copy of those written.
    private static ReadOnlyMemory<AuditEvent> Applied(int[] owners, ReadOnlyMemory<AuditEvent> auditEvents, Memory<bool> written)
    {
        var applied = written.Span;
        var count = 0;
        for (var e = 0; e < owners.Length; e++)
        {
            count += applied[owners[e]] ? 1 : 0;
        }

        if (count == owners.Length)
        {
            return auditEvents;
        }

        var events = auditEvents.Span;
        var stored = new AuditEvent[count];
        var k = 0;
        for (var e = 0; e < events.Length && k < count; e++)
        {
            if (applied[owners[e]])
            {
                stored[k++] = events[e];
            }
        }

        return stored;
    }

    // A repository stores events with its leads when it implements the method rather than inheriting the interface's default.
    private static bool Implements(ILeadRepository leads, string method) =>
        Implemented.GetOrAdd((leads.GetType(), method), static key =>
        {
            var map = key.Type.GetInterfaceMap(typeof(ILeadRepository));
            for (var i = 0; i < map.InterfaceMethods.Length; i++)
            {
                if (map.InterfaceMethods[i].Name == key.Method)
                {
                    return map.TargetMethods[i].DeclaringType != typeof(ILeadRepository);
                }
            }

            return false;
        });
}
