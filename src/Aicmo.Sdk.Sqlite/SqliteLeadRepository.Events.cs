using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Sqlite;

/// <summary>The writes of leads together with their audit events, each one savepoint of the writer's transaction.</summary>
internal sealed partial class SqliteLeadRepository
{
    public ValueTask TryAddManyWithEventsAsync(
        ReadOnlyMemory<Lead> leads, ReadOnlyMemory<AuditEvent> auditEvents, Memory<bool> added, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(added.Length, leads.Length, nameof(added));
        var owners = LeadEventOwners.Of(leads, auditEvents);
        if (leads.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        var rows = new LeadRow[leads.Length];
        var span = leads.Span;
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = LeadRow.ForAdd(span[i], nameof(leads));
        }

        // Copied: the caller may reuse its buffer as soon as the call returns, and the write runs later.
        var events = auditEvents.ToArray();

        // One atomic write (a savepoint in the writer's transaction): the leads, then the events of those added, so a lead is
        // stored with its creation or not at all, and a duplicate's events never are.
        return new ValueTask(database.WriteAsync(
            w =>
            {
                var results = added.Span;
                for (var i = 0; i < rows.Length; i++)
                {
                    results[i] = Insert(w, rows[i]);
                }

                for (var e = 0; e < events.Length; e++)
                {
                    if (results[owners[e]])
                    {
                        SqliteAuditLog.Insert(w, events[e]);
                    }
                }

                return true;
            },
            cancellationToken,
            atomic: true).AsTask());
    }

    public ValueTask UpdateManyWithEventsAsync(
        ReadOnlyMemory<LeadUpdate> updates, ReadOnlyMemory<AuditEvent> auditEvents, Memory<bool> updated, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(updated.Length, updates.Length, nameof(updated));
        var owners = LeadEventOwners.Of(updates, auditEvents);
        if (updates.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        var rows = new LeadRow[updates.Length];
        var span = updates.Span;
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = LeadRow.ForUpdate(span[i].Lead, span[i].ExpectedVersion, nameof(updates));
        }

        // Copied: the caller may reuse its buffer as soon as the call returns, and the write runs later.
        var events = auditEvents.ToArray();

        // One atomic write (a savepoint in the writer's transaction): each lead's compare-and-set, and its events only where it
        // won, so the leads and their trails commit together or not at all.
        return new ValueTask(database.WriteAsync(
            w =>
            {
                foreach (var row in rows)
                {
                    database.ThrowIfDeferredWriteFailed(row.Id);
                }

                var results = updated.Span;
                for (var i = 0; i < rows.Length; i++)
                {
                    results[i] = Update(w, rows[i]);
                }

                for (var e = 0; e < events.Length; e++)
                {
                    if (results[owners[e]])
                    {
                        SqliteAuditLog.Insert(w, events[e]);
                    }
                }

                return true;
            },
            cancellationToken,
            atomic: true).AsTask());
    }

    public ValueTask<bool> EraseWithEventsAsync(Lead anonymized, long expectedVersion, ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anonymized);
        LeadEventOwners.Of(new[] { new LeadUpdate(anonymized, expectedVersion) }, auditEvents);
        var erase = Erasure(anonymized, expectedVersion);
        var events = auditEvents.ToArray();
        return database.WriteAsync(
            w =>
            {
                if (!erase(w))
                {
                    return false;
                }

                foreach (var e in events)
                {
                    SqliteAuditLog.Insert(w, e);
                }

                return true;
            },
            cancellationToken,
            anonymized.Id,
            atomic: true);
    }
}
