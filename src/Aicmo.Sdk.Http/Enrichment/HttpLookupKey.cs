namespace Aicmo.Sdk.Http.Enrichment;

/// <summary>What an <see cref="HttpEnrichmentProvider"/> looks a lead up by.</summary>
public enum HttpLookupKey
{
    /// <summary>The lead's email address (<c>{email}</c> in the path or body); a lead without one is not looked up.</summary>
    Email,

    /// <summary>The company domain, or the email's domain when there is none (<c>{domain}</c>); a lead with neither is not looked up.</summary>
    Domain,
}
