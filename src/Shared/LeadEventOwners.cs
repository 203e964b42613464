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
    public static int[] Of(ReadOnlyMemory<LeadUpdate> updates, ReadOnlyMemory<AuditEvent> auditEvents)
    {
        var owners = new int[auditEvents.Length];
        if (auditEvents.IsEmpty)
        {
            return owners;
        }

        var span = updates.Span;
        Dictionary<Guid, int>? index = null;
        if (span.Length > 8)
        {
            index = new Dictionary<Guid, int>(span.Length);
            for (var i = 0; i < span.Length; i++)
            {
                index.TryAdd(span[i].Lead.Id, i);
            }
        }

        var events = auditEvents.Span;
        for (var e = 0; e < events.Length; e++)
        {
            var leadId = (events[e] ?? throw new ArgumentException($"The event at index {e} is null.", nameof(auditEvents))).LeadId;
            var owner = -1;
            if (index is not null)
            {
                owner = index.GetValueOrDefault(leadId, -1);
            }
            else
            {
                for (var i = 0; i < span.Length && owner < 0; i++)
                {
                    owner = span[i].Lead.Id == leadId ? i : -1;
                }
            }

            owners[e] = owner >= 0 ? owner : throw new ArgumentException($"The event at index {e} belongs to lead {leadId}, which is not among the updates.", nameof(auditEvents));
        }

        return owners;
    }
}
