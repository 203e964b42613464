namespace Aicmo.Sdk.Csv.Import;

/// <summary>
/// What a CSV column can be mapped to in <see cref="CsvLeadSourceOptions.Columns"/> and named in
/// <see cref="CsvLeadSourceOptions.RequiredFields"/>.
/// </summary>
/// <remarks>
/// Targets are matched whatever their case and separators, and the header aliases are accepted too: <c>first_name</c>,
/// <c>First Name</c> and <c>firstName</c> all name <see cref="FirstName"/>.
/// </remarks>
public static class LeadColumnTargets
{
    /// <summary>The source's own id of the record (<see cref="Domain.LeadCandidate.ExternalId"/>).</summary>
    public const string ExternalId = "externalId";

    /// <summary>The given name.</summary>
    public const string FirstName = "firstName";

    /// <summary>The family name.</summary>
    public const string LastName = "lastName";

    /// <summary>A full name, split at its first space into given and family names when those columns are absent or empty.</summary>
    public const string FullName = "fullName";

    /// <summary>The email address.</summary>
    public const string Email = "email";

    /// <summary>The job title.</summary>
    public const string Title = "title";

    /// <summary>The phone number.</summary>
    public const string Phone = "phone";

    /// <summary>The IANA time zone id.</summary>
    public const string TimeZone = "timeZone";

    /// <summary>The company name.</summary>
    public const string CompanyName = "companyName";

    /// <summary>The company's web domain or web site address.</summary>
    public const string CompanyDomain = "companyDomain";

    /// <summary>The industry.</summary>
    public const string Industry = "industry";

    /// <summary>The number of employees (a whole number; any other text is kept as the attribute <c>company_size</c>).</summary>
    public const string CompanySize = "companySize";

    /// <summary>The country code or name.</summary>
    public const string Country = "country";

    /// <summary>The annual revenue in US dollars (invariant culture; any other text is kept as the attribute <c>annual_revenue</c>).</summary>
    public const string AnnualRevenue = "annualRevenue";

    /// <summary>The column is not read.</summary>
    public const string Ignore = "ignore";

    /// <summary>Prefix of a target that keeps the column as an attribute with the given name, as in <c>attribute:lead_score</c>.</summary>
    public const string AttributePrefix = "attribute:";
}
