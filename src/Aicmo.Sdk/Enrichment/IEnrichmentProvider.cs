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

/// <summary>A value a provider found for a field.</summary>
/// <param name="Field">The field (see <see cref="EnrichmentFields"/>).</param>
/// <param name="Value">The value, as text.</param>
/// <param name="Confidence">The provider's confidence in [0, 1].</param>
public readonly record struct EnrichedValue(string Field, string Value, double Confidence);

/// <summary>The names of the fields enrichment can fill in.</summary>
public static class EnrichmentFields
{
    /// <summary>The company's web domain.</summary>
    public const string CompanyDomain = "companyDomain";

    /// <summary>The company name.</summary>
    public const string CompanyName = "companyName";

    /// <summary>The industry.</summary>
    public const string Industry = "industry";

    /// <summary>The number of employees.</summary>
    public const string CompanySize = "companySize";

    /// <summary>The country code.</summary>
    public const string Country = "country";

    /// <summary>The job title.</summary>
    public const string Title = "title";

    /// <summary>The phone number.</summary>
    public const string Phone = "phone";

    /// <summary>Gets every field name, in the order the waterfall enriches them.</summary>
    public static IReadOnlyList<string> All { get; } = [CompanyDomain, CompanyName, Industry, CompanySize, Country, Title, Phone];
}
