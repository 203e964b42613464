namespace Aicmo.Sdk.Domain;

/// <summary>
/// Applies the intake policy (<see cref="TextPolicy"/>) to a lead after a stage that may have written text into it, so that
/// no refused character reaches a store: the refused characters are removed and the first offending field is reported.
/// </summary>
internal static class LeadTextGuard
{
    /// <summary>Removes refused characters from every text field of the lead.</summary>
    /// <returns>The first offending field and character, or <see langword="null"/> when the lead was clean.</returns>
    public static string? Scrub(Lead lead)
    {
        string? violation = null;
        lead.ExternalId = Field(lead.ExternalId, "ExternalId", ref violation);
        lead.FirstName = Field(lead.FirstName, "FirstName", ref violation);
        lead.LastName = Field(lead.LastName, "LastName", ref violation);
        lead.Email = Field(lead.Email, "Email", ref violation);
        lead.Title = Field(lead.Title, "Title", ref violation);
        lead.Phone = Field(lead.Phone, "Phone", ref violation);
        lead.TimeZone = Field(lead.TimeZone, "TimeZone", ref violation);
        lead.CompanyName = Field(lead.CompanyName, "CompanyName", ref violation);
        lead.CompanyDomain = Field(lead.CompanyDomain, "CompanyDomain", ref violation);
        lead.Industry = Field(lead.Industry, "Industry", ref violation);
        lead.Country = Field(lead.Country, "Country", ref violation);
        if (lead.AttributeMap is { Count: > 0 } attributes)
        {
            List<KeyValuePair<string, string>>? dirty = null;
            foreach (var pair in attributes)
            {
                if (TextPolicy.IndexOfForbidden(pair.Key) >= 0 || TextPolicy.IndexOfForbidden(pair.Value) >= 0)
                {
                    (dirty ??= []).Add(pair);
                }
            }

            foreach (var pair in dirty ?? [])
            {
                attributes.Remove(pair.Key);
                attributes[TextPolicy.RemoveForbidden(pair.Key)] = Field(pair.Value, $"attribute '{TextPolicy.RemoveForbidden(pair.Key)}'", ref violation)!;
                violation ??= $"an attribute name contains a control character ({TextPolicy.Describe(pair.Key[TextPolicy.IndexOfForbidden(pair.Key)])})";
            }
        }

        if (lead.ProvenanceMap is { Count: > 0 } provenance)
        {
            foreach (var pair in provenance.Where(static p => TextPolicy.IndexOfForbidden(p.Value.Provider) >= 0).ToList())
            {
                provenance[pair.Key] = pair.Value with { Provider = Field(pair.Value.Provider, $"provenance of {pair.Key}", ref violation)! };
            }
        }

        return violation;
    }

    private static string? Field(string? value, string name, ref string? violation)
    {
        var i = TextPolicy.IndexOfForbidden(value);
        if (i < 0)
        {
            return value;
        }

        violation ??= $"{name} contains a control character ({TextPolicy.Describe(value![i])}) that the intake policy refuses; it was removed";
        return TextPolicy.RemoveForbidden(value);
    }
}
