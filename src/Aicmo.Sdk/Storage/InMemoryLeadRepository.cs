using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>A thread-safe in-memory <see cref="ILeadRepository"/> with the same uniqueness and compare-and-set rules as the SQL stores.</summary>
/// <remarks>Stores snapshots (<see cref="Lead.Clone"/>), so later changes to a caller's object do not leak in. Keeps every lead in memory.</remarks>
public sealed class InMemoryLeadRepository : ILeadRepository
{
    private readonly ConcurrentDictionary<Guid, Lead> _byId = new();
    private readonly ConcurrentDictionary<(string CampaignId, string IdentityKey), Guid> _byIdentity = new();
    private readonly object _eraseLock = new();

    /// <inheritdoc />
    public ValueTask<bool> TryAddAsync(Lead lead, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentException.ThrowIfNullOrEmpty(lead.IdentityKey, nameof(lead));
        cancellationToken.ThrowIfCancellationRequested();

        // The identity index is claimed first: it is the unique index, and the only check that decides a duplicate.
        if (!_byIdentity.TryAdd((lead.CampaignId, lead.IdentityKey), lead.Id))
        {
            return new(false);
        }

        if (!_byId.TryAdd(lead.Id, lead.Clone()))
        {
            _byIdentity.TryRemove(new KeyValuePair<(string, string), Guid>((lead.CampaignId, lead.IdentityKey), lead.Id));
            throw new InvalidOperationException($"A lead with id {lead.Id} already exists.");
        }

        return new(true);
    }

    /// <inheritdoc />
    public ValueTask<bool> UpdateAsync(Lead lead, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = lead.Clone();
        while (_byId.TryGetValue(lead.Id, out var current))
        {
            if (current.Version != expectedVersion)
            {
                return new(false);
            }

            if (current.CampaignId != lead.CampaignId || current.IdentityKey != lead.IdentityKey)
            {
                throw new InvalidOperationException("The campaign and identity key of a stored lead cannot change.");
            }

            // Reference comparison on the stored snapshot makes this a true compare-and-set.
            if (_byId.TryUpdate(lead.Id, snapshot, current))
            {
                return new(true);
            }
        }

        return new(false);
    }

    /// <inheritdoc />
    public ValueTask<bool> EraseAsync(Lead anonymized, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anonymized);
        ArgumentException.ThrowIfNullOrEmpty(anonymized.IdentityKey, nameof(anonymized));
        var snapshot = anonymized.Clone();
        lock (_eraseLock)
        {
            if (!_byId.TryGetValue(anonymized.Id, out var current) || current.Version != expectedVersion)
            {
                return new(false);
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

                return new(false);
            }

            if (oldKey != newKey)
            {
                _byIdentity.TryRemove(new KeyValuePair<(string, string), Guid>(oldKey, anonymized.Id));
            }

            return new(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<Lead?> GetAsync(Guid leadId, CancellationToken cancellationToken = default) =>
        new(_byId.TryGetValue(leadId, out var lead) ? lead.Clone() : null);

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
