using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>Matches the audit events of a write of several leads to the leads they belong to.</summary>
/// <remarks>Compiled into the core and into each SQL store package (linked source), so every store checks a write the same way.</remarks>
internal static class LeadEventOwners
{
    /// <summary>
    /// Checks that every event belongs to a lead of <paramref name="updates"/>, and returns, for each event, the index of its
    /// lead's update. Stores call it before writing anything.
    /// </summary>
    /// <exception cref="ArgumentException">An event is null or belongs to no lead of the updates.</exception>
    public static int[] Of(ReadOnlyMemory<LeadUpdate> updates, ReadOnlyMemory<AuditEvent> auditEvents) =>
        Of(updates.Span, static u => u.Lead.Id, auditEvents);

    /// <summary>
    /// Checks that every event belongs to one of <paramref name="leads"/> (a write that adds them), and returns, for each event,
    /// the index of its lead.
    /// </summary>
    /// <exception cref="ArgumentException">A lead or an event is null, or an event belongs to none of the leads.</exception>
    public static int[] Of(ReadOnlyMemory<Lead> leads, ReadOnlyMemory<AuditEvent> auditEvents)
    {
        var span = leads.Span;
        for (var i = 0; i < span.Length; i++)
        {
            _ = span[i] ?? throw new ArgumentException($"The lead at index {i} is null.", nameof(leads));
        }

        return Of(span, static l => l.Id, auditEvents);
    }

    private static int[] Of<T>(ReadOnlySpan<T> span, Func<T, Guid> leadIdOf, ReadOnlyMemory<AuditEvent> auditEvents)
    {
        var owners = new int[auditEvents.Length];
        var events = auditEvents.Span;
        Dictionary<Guid, int>? index = null;

        // Callers list each lead's events together, in the order of the updates (LeadWrites does): the owner is then the
        // current update or one after it, found without a look-up table, which is built only for events out of that order.
        var current = 0;
        for (var e = 0; e < events.Length; e++)
        {
            var leadId = (events[e] ?? throw new ArgumentException($"The event at index {e} is null.", nameof(auditEvents))).LeadId;
            while (current < span.Length && leadIdOf(span[current]) != leadId && index is null)
            {
                current++;
            }

            int owner;
            if (index is null && current < span.Length)
            {
                owner = current;
            }
            else
            {
                index ??= Index(span, leadIdOf);
                owner = index.GetValueOrDefault(leadId, -1);
            }

            owners[e] = owner >= 0 ? owner : throw new ArgumentException($"The event at index {e} belongs to lead {leadId}, which is not among the updates.", nameof(auditEvents));
        }

        return owners;
    }

    private static Dictionary<Guid, int> Index<T>(ReadOnlySpan<T> items, Func<T, Guid> leadIdOf)
    {
        var index = new Dictionary<Guid, int>(items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            index.TryAdd(leadIdOf(items[i]), i);
        }

        return index;
    }
}
