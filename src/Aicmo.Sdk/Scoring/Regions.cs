using System.Collections.Frozen;

namespace Aicmo.Sdk.Scoring;

/// <summary>Maps ISO 3166 country codes to sales regions.</summary>
public static class Regions
{
    private static readonly FrozenDictionary<string, string> ByCountry = Build();

    /// <summary>Returns the region of a country code: <c>NA</c>, <c>LATAM</c>, <c>EMEA</c> or <c>APAC</c>.</summary>
    /// <param name="country">The ISO 3166 alpha-2 code.</param>
    /// <returns>The region, or <see langword="null"/> when the code is unknown.</returns>
    public static string? Of(string? country) =>
        country is not null && ByCountry.TryGetValue(country.Trim(), out var region) ? region : null;

    private static FrozenDictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Add(string region, string codes)
        {
            foreach (var code in codes.Split(' '))
            {
                map[code] = region;
            }
        }

        Add("NA", "US CA");
        Add("LATAM", "MX BR AR CL CO PE UY VE EC BO PY CR PA GT DO");
        Add("EMEA", "GB IE DE FR ES IT NL BE LU CH AT PT SE NO DK FI IS PL CZ SK HU RO BG GR TR IL AE SA QA EG ZA NG KE MA UA EE LV LT SI HR RS");
        Add("APAC", "JP CN IN AU NZ SG HK TW KR ID MY TH VN PH PK BD");
        return map.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
