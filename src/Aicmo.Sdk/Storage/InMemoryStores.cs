using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;

namespace Aicmo.Sdk.Storage;

/// <summary>A thread-safe in-memory <see cref="ICampaignRepository"/>.</summary>
public sealed class InMemoryCampaignRepository : ICampaignRepository
{
    private readonly ConcurrentDictionary<string, Campaign> _campaigns = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<Campaign?> GetAsync(string campaignId, CancellationToken cancellationToken = default) =>
        new(_campaigns.TryGetValue(campaignId, out var c) ? c : null);

    /// <inheritdoc />
    public ValueTask<Campaign> GetOrAddAsync(Campaign campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return new(_campaigns.GetOrAdd(campaign.Id, campaign));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Campaign>> ListAsync(CancellationToken cancellationToken = default) =>
        new(_campaigns.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList());

    /// <inheritdoc />
    public ValueTask<bool> TryAddAsync(Campaign campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return new(_campaigns.TryAdd(campaign.Id, campaign));
    }

    /// <inheritdoc />
    public ValueTask<bool> UpdateAsync(Campaign campaign, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        while (_campaigns.TryGetValue(campaign.Id, out var stored))
        {
            if (stored.Version != expectedVersion)
            {
                return new(false);
            }

            if (_campaigns.TryUpdate(campaign.Id, campaign, stored))
            {
                return new(true);
            }
        }

        return new(false);
    }
}

/// <summary>A thread-safe in-memory <see cref="IRunRepository"/>.</summary>
public sealed class InMemoryRunRepository : IRunRepository
{
    private readonly ConcurrentDictionary<Guid, RunRecord> _runs = new();

    /// <inheritdoc />
    public ValueTask<bool> SaveAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        while (true)
        {
            if (!_runs.TryGetValue(run.RunId, out var stored))
            {
                if (_runs.TryAdd(run.RunId, run))
                {
                    return new(true);
                }

                continue;
            }

            // A takeover is never undone by a later save: the record keeps the run that took it over.
            var kept = stored.TakenOverBy is { } by && by != run.TakenOverBy ? run with { TakenOverBy = by } : run;
            if (_runs.TryUpdate(run.RunId, kept, stored))
            {
                return new(ReferenceEquals(kept, run));
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryTakeOverAsync(Guid runId, Guid takerRunId, DateTimeOffset staleBefore, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        while (_runs.TryGetValue(runId, out var stored))
        {
            if (runId == takerRunId || !stored.IsInterrupted(staleBefore))
            {
                return new(false);
            }

            // Reference comparison on the stored record makes this a true compare-and-set.
            if (_runs.TryUpdate(runId, stored with { TakenOverBy = takerRunId, UpdatedAt = now }, stored))
            {
                return new(true);
            }
        }

        return new(false);
    }

    /// <inheritdoc />
    public ValueTask<RunRecord?> GetAsync(Guid runId, CancellationToken cancellationToken = default) =>
        new(_runs.TryGetValue(runId, out var r) ? r : null);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunRecord>> ListAsync(string campaignId, CancellationToken cancellationToken = default) =>
        new(_runs.Values.Where(r => r.CampaignId == campaignId).OrderByDescending(r => r.StartedAt).ToList());
}

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

/// <summary>A thread-safe in-memory <see cref="IEmailOutbox"/>; one entry per key, reserved atomically.</summary>
public sealed class InMemoryEmailOutbox : IEmailOutbox
{
    private readonly ConcurrentDictionary<OutboxKey, OutboxEntry> _entries = new();
    private long _order;
    private readonly ConcurrentDictionary<OutboxKey, long> _insertionOrder = new();

    // The sequence of each lead's first entry, so that finding it does not scan the outbox.
    private readonly ConcurrentDictionary<Guid, string> _firstSequence = new();

    /// <inheritdoc />
    public ValueTask<OutboxReservation> ReserveAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_entries.TryAdd(entry.Key, entry))
        {
            _insertionOrder[entry.Key] = Interlocked.Increment(ref _order);
            _firstSequence.TryAdd(entry.Key.LeadId, entry.Key.Sequence);
            return new(new OutboxReservation(true, entry));
        }

        return new(new OutboxReservation(false, _entries[entry.Key]));
    }

    /// <inheritdoc />
    public ValueTask<OutboxEntry?> TryReclaimAsync(OutboxEntry seen, string owner, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seen);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        while (_entries.TryGetValue(seen.Key, out var current))
        {
            var claimable = current.Status is OutboxStatus.Failed or OutboxStatus.DryRun || (current.Status == OutboxStatus.Pending && !current.IsClaimLive(now));
            if (!claimable || current.Status != seen.Status || !string.Equals(current.ClaimOwner, seen.ClaimOwner, StringComparison.Ordinal))
            {
                return new((OutboxEntry?)null);
            }

            var claimed = current with { Status = OutboxStatus.Pending, ClaimOwner = owner, ClaimExpiresAt = expiresAt };
            if (_entries.TryUpdate(seen.Key, claimed, current))
            {
                return new(claimed);
            }
        }

        return new((OutboxEntry?)null);
    }

    /// <inheritdoc />
    public ValueTask<string?> FindSequenceAsync(Guid leadId, CancellationToken cancellationToken = default) =>
        new(_firstSequence.TryGetValue(leadId, out var sequence) ? sequence : null);

    /// <inheritdoc />
    public ValueTask MarkSentAsync(OutboxKey key, string? providerMessageId, DateTimeOffset sentAt, CancellationToken cancellationToken = default)
    {
        Update(key, e => e with { Status = OutboxStatus.Sent, SentAt = sentAt, ProviderMessageId = providerMessageId, Attempts = e.Attempts + 1, Error = null });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask MarkFailedAsync(OutboxKey key, string error, CancellationToken cancellationToken = default)
    {
        Update(key, e => e.Status == OutboxStatus.Sent ? e : e with { Status = OutboxStatus.Failed, Error = error, Attempts = e.Attempts + 1 });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<OutboxEntry?> GetAsync(OutboxKey key, CancellationToken cancellationToken = default) =>
        new(_entries.TryGetValue(key, out var e) ? e : null);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus? status = null, int skip = 0, int take = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        IReadOnlyList<OutboxEntry> page = _entries.Values
            .Where(e => status is null || e.Status == status)
            .OrderBy(e => _insertionOrder.TryGetValue(e.Key, out var o) ? o : long.MaxValue)
            .Skip(skip).Take(take).ToList();
        return new(page);
    }

    /// <inheritdoc />
    public ValueTask<int> RedactAsync(Guid leadId, string replacement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        var changed = 0;
        foreach (var key in _entries.Keys.Where(k => k.LeadId == leadId).ToList())
        {
            Update(key, e => e with { To = replacement, Subject = replacement, Error = e.Error is null ? null : replacement });
            changed++;
        }

        return new(changed);
    }

    private void Update(OutboxKey key, Func<OutboxEntry, OutboxEntry> change)
    {
        while (true)
        {
            if (!_entries.TryGetValue(key, out var current))
            {
                throw new InvalidOperationException($"The outbox holds no entry {key}.");
            }

            if (_entries.TryUpdate(key, change(current), current))
            {
                return;
            }
        }
    }
}

/// <summary>A thread-safe in-memory <see cref="ISuppressionList"/>.</summary>
public sealed class InMemorySuppressionList : ISuppressionList
{
    private readonly ConcurrentDictionary<string, SuppressionEntry> _entries = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask AddAsync(SuppressionEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var key = LeadIdentity.NormalizeEmail(entry.Email) ?? throw new ArgumentException("The address is empty.", nameof(entry));
        _entries[key] = entry with { Email = key };
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<SuppressionEntry?> GetAsync(string email, CancellationToken cancellationToken = default)
    {
        var key = LeadIdentity.NormalizeEmail(email);
        return new(key is not null && _entries.TryGetValue(key, out var e) ? e : null);
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string email, CancellationToken cancellationToken = default)
    {
        var key = LeadIdentity.NormalizeEmail(email);
        return new(key is not null && _entries.TryRemove(key, out _));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SuppressionEntry>> ListAsync(string? after = null, int take = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        IReadOnlyList<SuppressionEntry> page = [.. _entries.Values
            .Where(e => after is null || string.CompareOrdinal(e.Email, after) > 0)
            .OrderBy(e => e.Email, StringComparer.Ordinal)
            .Take(take)];
        return new(page);
    }
}
