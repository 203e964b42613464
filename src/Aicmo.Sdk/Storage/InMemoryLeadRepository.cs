using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>A thread-safe in-memory <see cref="ILeadRepository"/> with the same uniqueness and compare-and-set rules as the SQL stores.</summary>
/// <remarks>
/// Stores snapshots (<see cref="Lead.Clone"/>), so later changes to a caller's object do not leak in. Keeps every lead in memory.
/// A lead's creation or change and its audit events
/// (<see cref="TryAddManyWithEventsAsync"/>, <see cref="UpdateManyWithEventsAsync"/>) are
/// written under the lock of the lead's trail when the audit log is an <see cref="InMemoryAuditLog"/>; with another audit log the
/// events of a change are appended after it.
/// </remarks>
public sealed class InMemoryLeadRepository : ILeadRepository
{
    private readonly ConcurrentDictionary<Guid, Lead> _byId = new();
    private readonly ConcurrentDictionary<(string CampaignId, string IdentityKey), Guid> _byIdentity = new();
    private readonly object _eraseLock = new();

    /// <summary>Initializes a new instance of the <see cref="InMemoryLeadRepository"/> class with an audit log of its own (<see cref="AuditLog"/>).</summary>
    public InMemoryLeadRepository()
        : this(new InMemoryAuditLog())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="InMemoryLeadRepository"/> class that writes the events of its leads' changes into <paramref name="auditLog"/>.</summary>
    /// <param name="auditLog">The audit log; an <see cref="InMemoryAuditLog"/> receives a change's events under the same lock as the change.</param>
    public InMemoryLeadRepository(IAuditLog auditLog)
    {
        ArgumentNullException.ThrowIfNull(auditLog);
        AuditLog = auditLog;
    }

    /// <summary>Gets the audit log the events of the leads' changes are written into.</summary>
    public IAuditLog AuditLog { get; }

    /// <inheritdoc />
    public ValueTask<bool> TryAddAsync(Lead lead, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentException.ThrowIfNullOrEmpty(lead.IdentityKey, nameof(lead));
        cancellationToken.ThrowIfCancellationRequested();
        return new(Add(lead));
    }

    private bool Add(Lead lead)
    {
        // The identity index is claimed first: it is the unique index, and the only check that decides a duplicate.
        if (!_byIdentity.TryAdd((lead.CampaignId, lead.IdentityKey), lead.Id))
        {
            return false;
        }

        if (!_byId.TryAdd(lead.Id, lead.Clone()))
        {
            _byIdentity.TryRemove(new KeyValuePair<(string, string), Guid>((lead.CampaignId, lead.IdentityKey), lead.Id));
            throw new InvalidOperationException($"A lead with id {lead.Id} already exists.");
        }

        return true;
    }

    /// <inheritdoc />
    public ValueTask<bool> UpdateAsync(Lead lead, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        cancellationToken.ThrowIfCancellationRequested();
        return new(Update(lead, expectedVersion));
    }

    private bool Update(Lead lead, long expectedVersion)
    {
        var snapshot = lead.Clone();
        while (_byId.TryGetValue(lead.Id, out var current))
        {
            if (current.Version != expectedVersion)
            {
                return false;
            }

            if (current.CampaignId != lead.CampaignId || current.IdentityKey != lead.IdentityKey)
            {
                throw new InvalidOperationException("The campaign and identity key of a stored lead cannot change.");
            }

            // Reference comparison on the stored snapshot makes this a true compare-and-set.
            if (_byId.TryUpdate(lead.Id, snapshot, current))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public async ValueTask UpdateManyWithEventsAsync(ReadOnlyMemory<LeadUpdate> updates, ReadOnlyMemory<AuditEvent> auditEvents, Memory<bool> updated, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(updated.Length, updates.Length, nameof(updated));
        cancellationToken.ThrowIfCancellationRequested();
        var (events, ranges) = EventsByUpdate(updates, auditEvents);
        for (var i = 0; i < updates.Length; i++)
        {
            var update = updates.Span[i];
            ArgumentNullException.ThrowIfNull(update.Lead, nameof(updates));
            var applied = await WriteAsync(
                update.Lead.Id,
                events.Slice(ranges[i].Start, ranges[i].Count),
                (Repository: this, Update: update),
                static s => s.Repository.Update(s.Update.Lead, s.Update.ExpectedVersion)).ConfigureAwait(false);
            updated.Span[i] = applied;
        }
    }

    /// <inheritdoc />
    public async ValueTask TryAddManyWithEventsAsync(ReadOnlyMemory<Lead> leads, ReadOnlyMemory<AuditEvent> auditEvents, Memory<bool> added, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(added.Length, leads.Length, nameof(added));
        cancellationToken.ThrowIfCancellationRequested();
        var updates = new LeadUpdate[leads.Length];
        for (var i = 0; i < updates.Length; i++)
        {
            var lead = leads.Span[i] ?? throw new ArgumentException($"The lead at index {i} is null.", nameof(leads));
            ArgumentException.ThrowIfNullOrEmpty(lead.IdentityKey, nameof(leads));
            updates[i] = new LeadUpdate(lead, 0);
        }

        var (events, ranges) = EventsByUpdate(updates, auditEvents);
        if (AuditLog is not InMemoryAuditLog log)
        {
            // Another audit log: the leads are decided first, then the events of those added are appended together.
            var kept = new List<AuditEvent>(events.Length);
            for (var i = 0; i < updates.Length; i++)
            {
                added.Span[i] = Add(updates[i].Lead);
                if (added.Span[i])
                {
                    kept.AddRange(events.Slice(ranges[i].Start, ranges[i].Count).ToArray());
                }
            }

            if (kept.Count > 0)
            {
                await AuditLog.AppendManyAsync(kept.ToArray(), CancellationToken.None).ConfigureAwait(false);
            }

            return;
        }

        // Each lead is added under its trail's lock together with its events, so a reader never finds it without them.
        for (var i = 0; i < updates.Length; i++)
        {
            var lead = updates[i].Lead;

            // A duplicate already known is decided without opening a trail for a lead that is not stored (the add decides the rest).
            added.Span[i] = !_byIdentity.ContainsKey((lead.CampaignId, lead.IdentityKey))
                && log.AppendIf(lead.Id, events.Slice(ranges[i].Start, ranges[i].Count), (Repository: this, Lead: lead), static s => s.Repository.Add(s.Lead));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> EraseWithEventsAsync(Lead anonymized, long expectedVersion, ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anonymized);
        LeadEventOwners.Of(new[] { new LeadUpdate(anonymized, expectedVersion) }, auditEvents);
        return WriteAsync(
            anonymized.Id,
            auditEvents,
            (Repository: this, Lead: anonymized, Expected: expectedVersion),
            static s => s.Repository.Erase(s.Lead, s.Expected));
    }

    // The events in update order (a stable sort, needed only when the caller did not list each lead's events together) and, for
    // each update, where its events are.
    private static (ReadOnlyMemory<AuditEvent> Events, (int Start, int Count)[] Ranges) EventsByUpdate(ReadOnlyMemory<LeadUpdate> updates, ReadOnlyMemory<AuditEvent> auditEvents)
    {
        var owners = LeadEventOwners.Of(updates, auditEvents);
        var events = auditEvents;
        for (var e = 1; e < owners.Length; e++)
        {
            if (owners[e] < owners[e - 1])
            {
                var order = Enumerable.Range(0, owners.Length).OrderBy(k => owners[k]).ToArray();
                var sorted = new AuditEvent[order.Length];
                for (var k = 0; k < order.Length; k++)
                {
                    sorted[k] = auditEvents.Span[order[k]];
                }

                Array.Sort(owners);
                events = sorted;
                break;
            }
        }

        var ranges = new (int Start, int Count)[updates.Length];
        for (var e = 0; e < owners.Length; e++)
        {
            ref var range = ref ranges[owners[e]];
            if (range.Count == 0)
            {
                range.Start = e;
            }

            range.Count++;
        }

        return (events, ranges);
    }

    // The in-memory writes complete synchronously.
    private async ValueTask<bool> WriteAsync<TState>(Guid leadId, ReadOnlyMemory<AuditEvent> auditEvents, TState state, Func<TState, bool> write)
    {
        if (AuditLog is InMemoryAuditLog log)
        {
            return log.AppendIf(leadId, auditEvents, state, write);
        }

        if (!write(state))
        {
            return false;
        }

        if (!auditEvents.IsEmpty)
        {
            await AuditLog.AppendManyAsync(auditEvents, CancellationToken.None).ConfigureAwait(false);
        }

        return true;
    }

    /// <inheritdoc />
    public ValueTask<bool> EraseAsync(Lead anonymized, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anonymized);
        return new(Erase(anonymized, expectedVersion));
    }

    private bool Erase(Lead anonymized, long expectedVersion)
    {
        ArgumentException.ThrowIfNullOrEmpty(anonymized.IdentityKey, nameof(anonymized));
        var snapshot = anonymized.Clone();
        lock (_eraseLock)
        {
            if (!_byId.TryGetValue(anonymized.Id, out var current) || current.Version != expectedVersion)
            {
                return false;
            }

            var oldKey = (current.CampaignId, current.IdentityKey);
            var newKey = (current.CampaignId, anonymized.IdentityKey);
            if (oldKey != newKey && !_byIdentity.TryAdd(newKey, anonymized.Id))
            {
                throw new InvalidOperationException("The anonymized identity key is already taken.");
            }

            if (!_byId.TryUpdate(anonymized.Id, snapshot, current))
            {
                if (oldKey != newKey)
                {
                    _byIdentity.TryRemove(new KeyValuePair<(string, string), Guid>(newKey, anonymized.Id));
                }

                return false;
            }

            if (oldKey != newKey)
            {
                _byIdentity.TryRemove(new KeyValuePair<(string, string), Guid>(oldKey, anonymized.Id));
            }

            return true;
        }
    }

    /// <inheritdoc />
    public ValueTask<Lead?> GetAsync(Guid leadId, CancellationToken cancellationToken = default) =>
        new(_byId.TryGetValue(leadId, out var lead) ? lead.Clone() : null);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Lead?>> GetManyAsync(IReadOnlyList<Guid> leadIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leadIds);
        var leads = new Lead?[leadIds.Count];
        for (var i = 0; i < leads.Length; i++)
        {
            leads[i] = _byId.TryGetValue(leadIds[i], out var lead) ? lead.Clone() : null;
        }

        return new(leads);
    }

    /// <inheritdoc />
    public ValueTask<Lead?> FindByIdentityAsync(string campaignId, string identityKey, CancellationToken cancellationToken = default) =>
        new(_byIdentity.TryGetValue((campaignId, identityKey), out var id) && _byId.TryGetValue(id, out var lead) ? lead.Clone() : null);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Lead>> QueryAsync(LeadQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Take);
        IReadOnlyList<Lead> page = _byId.Values
            .Where(l => l.CampaignId == query.CampaignId && (query.Status is null || l.Status == query.Status) &&
                        (query.After is not { } after || l.CreatedAt > after.CreatedAt || (l.CreatedAt == after.CreatedAt && l.Id.CompareTo(after.Id) > 0)))
            .OrderBy(l => l.CreatedAt).ThenBy(l => l.Id)
            .Skip(query.Skip).Take(query.Take)
            .Select(l => l.Clone())
            .ToList();
        return new(page);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Lead>> ListByRunAsync(LeadRunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Take);
        var statuses = query.Statuses;
        IReadOnlyList<Lead> page = _byId.Values
            .Where(l => l.RunId == query.RunId && (statuses is null || statuses.Contains(l.Status)) && (query.After is not { } after || l.Id.CompareTo(after) > 0))
            .OrderBy(l => l.Id)
            .Take(query.Take)
            .Select(l => l.Clone())
            .ToList();
        return new(page);
    }

    /// <summary>Gets every stored lead, unsorted and not copied (stored snapshots are replaced, never changed): for counting.</summary>
    internal IEnumerable<Lead> StoredLeads => _byId.Select(static pair => pair.Value);

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<LeadStatus, long>> CountByStatusAsync(string campaignId, Guid? runId = null, CancellationToken cancellationToken = default)
    {
        var counts = new Dictionary<LeadStatus, long>();
        foreach (var lead in _byId.Values)
        {
            if (lead.CampaignId == campaignId && (runId is null || lead.RunId == runId))
            {
                counts[lead.Status] = counts.GetValueOrDefault(lead.Status) + 1;
            }
        }

        return new(counts);
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(string campaignId, LeadStatus? status = null, CancellationToken cancellationToken = default)
    {
        long count = 0;
        foreach (var lead in _byId.Values)
        {
            if (lead.CampaignId == campaignId && (status is null || lead.Status == status))
            {
                count++;
            }
        }

        return new(count);
    }
}
