using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Enrichment;

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
