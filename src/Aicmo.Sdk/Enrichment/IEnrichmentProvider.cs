using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Enrichment;

/// <summary>A source of data about people and companies (a vendor API, a CRM lookup, an internal database).</summary>
/// <remarks>Implementations must be thread-safe. An exception or a timeout does not fail the lead; the next provider is asked.</remarks>
public interface IEnrichmentProvider
{
    /// <summary>Gets the provider's name, recorded as the provenance of every value it supplies.</summary>
    string Name { get; }

    /// <summary>Looks up values for some of a lead's missing fields.</summary>
    /// <param name="lead">The lead (read it; do not change it).</param>
    /// <param name="missingFields">The names of the fields still missing (see <see cref="EnrichmentFields"/>).</param>
    /// <param name="cancellationToken">A token to cancel the lookup.</param>
    /// <returns>The values found; fields the provider does not know are left out.</returns>
    ValueTask<IReadOnlyList<EnrichedValue>> LookupAsync(Lead lead, IReadOnlyCollection<string> missingFields, CancellationToken cancellationToken);
}
