using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// The lead store as one dry run sees it (<see cref="PipelineRunRequest.DryRun"/>): reads go to the real store; an add is decided
/// as the real store would decide it (a duplicate of a stored lead, or of a lead this run already added) and stored nowhere; an
/// update succeeds and is stored nowhere. Holds the identity keys of the leads the run would have added, for the run's length.
/// </summary>
internal sealed class DryRunLeadRepository(ILeadRepository inner) : ILeadRepository
{
    private readonly ConcurrentDictionary<string, byte> _added = new(StringComparer.Ordinal);

    public async ValueTask<bool> TryAddAsync(Lead lead, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        if (_added.ContainsKey(lead.IdentityKey) ||
            await inner.FindByIdentityAsync(lead.CampaignId, lead.IdentityKey, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        return _added.TryAdd(lead.IdentityKey, 0);
    }

    public ValueTask<bool> UpdateAsync(Lead lead, long expectedVersion, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);

    public ValueTask UpdateManyAsync(ReadOnlyMemory<LeadUpdate> updates, Memory<bool> updated, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(updated.Length, updates.Length, nameof(updated));
        updated.Span[..updates.Length].Fill(true);
        return default;
    }

    public ValueTask<Lead?> GetAsync(Guid leadId, CancellationToken cancellationToken = default) => inner.GetAsync(leadId, cancellationToken);

    public ValueTask<Lead?> FindByIdentityAsync(string campaignId, string identityKey, CancellationToken cancellationToken = default) =>
        inner.FindByIdentityAsync(campaignId, identityKey, cancellationToken);

    public ValueTask<IReadOnlyList<Lead>> QueryAsync(LeadQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

    public ValueTask<IReadOnlyList<Lead>> ListByRunAsync(LeadRunQuery query, CancellationToken cancellationToken = default) =>
        inner.ListByRunAsync(query, cancellationToken);

    public ValueTask<long> CountAsync(string campaignId, LeadStatus? status = null, CancellationToken cancellationToken = default) =>
        inner.CountAsync(campaignId, status, cancellationToken);

    public ValueTask<bool> EraseAsync(Lead anonymized, long expectedVersion, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("A dry run erases nothing.");
}
