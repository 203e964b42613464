using System.Collections.Frozen;

namespace Aicmo.Sdk.Csv.Import.Internal;

/// <summary>The header names CRM and spreadsheet exports use for each lead field, compared by <see cref="Normalize"/>.</summary>
internal static class HeaderAliases
{
    private static readonly FrozenDictionary<string, LeadField> Aliases = Build();

    /// <summary>Finds the field a header or a target name stands for.</summary>
    /// <param name="name">The header or target, in any case and with any separators.</param>
    /// <param name="field">The field.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryGetField(string name, out LeadField field) => Aliases.TryGetValue(Normalize(name), out field);

    /// <summary>Reduces a name to its lower-case letters and digits: <c>First Name</c>, <c>first_name</c> and <c>FIRSTNAME</c> meet.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The normalized name.</returns>
    public static string Normalize(string name)
    {
        Span<char> buffer = name.Length <= 128 ? stackalloc char[name.Length] : new char[name.Length];
        var length = 0;
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..length]);
    }

    private static FrozenDictionary<string, LeadField> Build()
    {
        var map = new Dictionary<string, LeadField>(StringComparer.Ordinal);
        void Add(LeadField field, params string[] names)
        {
            foreach (var name in names)
            {
                map.Add(name, field);
            }
        }

        Add(LeadField.ExternalId, "externalid", "id", "recordid", "contactid", "leadid", "personid", "crmid", "sourceid");
        Add(LeadField.FirstName, "firstname", "givenname", "fname", "first", "forename", "prenom", "vorname");
        Add(LeadField.LastName, "lastname", "surname", "familyname", "lname", "last", "nom", "nachname");
        Add(LeadField.FullName, "fullname", "name", "contactname", "personname", "contact");
        Add(LeadField.Email, "email", "emailaddress", "mail", "workemail", "businessemail", "emails", "primaryemail", "emailaddress1", "courriel");
        Add(LeadField.Title, "title", "jobtitle", "position", "role", "jobrole", "designation");
        Add(LeadField.Phone, "phone", "phonenumber", "mobile", "mobilephone", "mobilenumber", "telephone", "tel", "workphone", "directphone", "businessphone", "cellphone");
        Add(LeadField.TimeZone, "timezone", "tz", "ianatimezone");
        Add(LeadField.CompanyName, "company", "companyname", "organization", "organisation", "organizationname", "account", "accountname", "employer", "firma", "entreprise", "empresa");
        Add(LeadField.CompanyDomain, "companydomain", "domain", "website", "companywebsite", "websiteurl", "url", "web", "site", "companyurl");
        Add(LeadField.Industry, "industry", "sector", "vertical");
        Add(LeadField.CompanySize, "companysize", "employees", "numberofemployees", "employeecount", "headcount", "noofemployees", "numemployees", "size");
        Add(LeadField.Country, "country", "countrycode", "countryregion", "countryname");
        Add(LeadField.AnnualRevenue, "annualrevenue", "revenue", "companyrevenue");
        Add(LeadField.Ignore, "ignore");
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
