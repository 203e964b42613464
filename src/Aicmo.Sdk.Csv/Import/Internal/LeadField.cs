namespace Aicmo.Sdk.Csv.Import.Internal;

/// <summary>What one column feeds.</summary>
internal enum LeadField
{
    Attribute,
    Ignore,
    ExternalId,
    FirstName,
    LastName,
    FullName,
    Email,
    Title,
    Phone,
    TimeZone,
    CompanyName,
    CompanyDomain,
    Industry,
    CompanySize,
    Country,
    AnnualRevenue,
}
