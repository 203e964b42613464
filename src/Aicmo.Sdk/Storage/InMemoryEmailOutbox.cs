using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;

namespace Aicmo.Sdk.Storage;

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

    /// <summary>Gets every entry, unsorted and not copied (entries are records, replaced on change): for counting.</summary>
    internal IEnumerable<OutboxEntry> StoredEntries => _entries.Select(static pair => pair.Value);

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
