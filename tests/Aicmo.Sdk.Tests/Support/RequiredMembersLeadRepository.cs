using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Tests.Support;

/// <summary>
/// A lead store that implements only the members <see cref="ILeadRepository"/> requires, as a third-party store written before
/// the others existed would: batch reads and writes of leads with their audit events are left to the interface's defaults.
/// </summary>
internal sealed class RequiredMembersLeadRepository(ILeadRepository inner) : ILeadRepository
{
    public ValueTask<bool> TryAddAsync(Lead lead, CancellationToken cancellationToken = default) => inner.TryAddAsync(lead, cancellationToken);

    public ValueTask TryAddManyAsync(ReadOnlyMemory<Lead> leads, Memory<bool> added, CancellationToken cancellationToken = default) =>
        inner.TryAddManyAsync(leads, added, cancellationToken);

    public ValueTask<bool> UpdateAsync(Lead lead, long expectedVersion, CancellationToken cancellationToken = default) =>
        inner.UpdateAsync(lead, expectedVersion, cancellationToken);

    public ValueTask UpdateManyAsync(ReadOnlyMemory<LeadUpdate> updates, Memory<bool> updated, CancellationToken cancellationToken = default) =>
        inner.UpdateManyAsync(updates, updated, cancellationToken);

    public ValueTask<Lead?> GetAsync(Guid leadId, CancellationToken cancellationToken = default) => inner.GetAsync(leadId, cancellationToken);

    public ValueTask<Lead?> FindByIdentityAsync(string campaignId, string identityKey, CancellationToken cancellationToken = default) =>
        inner.FindByIdentityAsync(campaignId, identityKey, cancellationToken);

    public ValueTask<IReadOnlyList<Lead>> QueryAsync(LeadQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

    public ValueTask<IReadOnlyList<Lead>> ListByRunAsync(LeadRunQuery query, CancellationToken cancellationToken = default) =>
        inner.ListByRunAsync(query, cancellationToken);

    public ValueTask<long> CountAsync(string campaignId, LeadStatus? status = null, CancellationToken cancellationToken = default) =>
        inner.CountAsync(campaignId, status, cancellationToken);

    public ValueTask<bool> EraseAsync(Lead anonymized, long expectedVersion, CancellationToken cancellationToken = default) =>
        inner.EraseAsync(anonymized, expectedVersion, cancellationToken);

    public ValueTask<IReadOnlyDictionary<LeadStatus, long>> CountByStatusAsync(string campaignId, Guid? runId = null, CancellationToken cancellationToken = default) =>
        inner.CountByStatusAsync(campaignId, runId, cancellationToken);
}
