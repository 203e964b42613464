using System.Collections.Frozen;
using System.Globalization;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Scoring;
using Aicmo.Sdk.Stages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aicmo.Sdk.Enrichment;

/// <summary>
/// The default enricher. First it infers what the lead itself implies (the company domain from a business address, a company
/// name from the domain, the country from a country-code domain, country names as ISO codes), then it asks each registered
/// <see cref="IEnrichmentProvider"/> in order for the fields still missing; the first value for a field wins.
/// Every value filled in carries its provenance.
/// </summary>
public sealed partial class InferenceEnricher : ILeadEnricher
{
    /// <summary>The provenance name of values inferred from the lead's own fields.</summary>
    public const string InferenceProvider = "inference";

    private static readonly FrozenDictionary<string, string> CountryNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["united states"] = "US", ["usa"] = "US", ["united states of america"] = "US", ["united kingdom"] = "GB", ["uk"] = "GB",
        ["great britain"] = "GB", ["germany"] = "DE", ["deutschland"] = "DE", ["france"] = "FR", ["spain"] = "ES", ["españa"] = "ES",
        ["italy"] = "IT", ["netherlands"] = "NL", ["canada"] = "CA", ["australia"] = "AU", ["brazil"] = "BR", ["brasil"] = "BR",
        ["india"] = "IN", ["japan"] = "JP", ["china"] = "CN", ["mexico"] = "MX", ["méxico"] = "MX", ["sweden"] = "SE",
        ["switzerland"] = "CH", ["austria"] = "AT", ["poland"] = "PL", ["ireland"] = "IE", ["portugal"] = "PT", ["norway"] = "NO",
        ["denmark"] = "DK", ["finland"] = "FI", ["belgium"] = "BE",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> CountryCodeDomains = new[]
    {
        "de", "fr", "es", "it", "nl", "ca", "au", "br", "in", "jp", "cn", "mx", "se", "ch", "at", "pl", "ie", "pt", "no", "dk", "fi", "be",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> CountryCodeDomainLookup = CountryCodeDomains.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> FreeMailLookup = EmailDomains.FreeMail.GetAlternateLookup<ReadOnlySpan<char>>();

    private readonly IEnrichmentProvider[] _providers;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="InferenceEnricher"/> class.</summary>
    /// <param name="providers">The providers to ask, in order.</param>
    /// <param name="logger">The logger.</param>
    public InferenceEnricher(IEnumerable<IEnrichmentProvider> providers, ILogger<InferenceEnricher>? logger = null)
    {
        _providers = (providers ?? []).ToArray();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public ValueTask<EnrichmentResult> EnrichAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(context);
        var now = context.TimeProvider.GetUtcNow();
        var filled = Infer(lead, now);
        if (_providers.Length == 0)
        {
            return new(Result(filled));
        }

        return AskProvidersAsync(lead, filled, now, cancellationToken);
    }

    private static EnrichmentResult Result(int filled) => new(filled, Summary(filled));

    // The summaries of the counts a lead can reach with the built-in fields, made once.
    private static readonly string[] Summaries = [.. Enumerable.Range(0, 16).Select(n => n switch
    {
        0 => "nothing to enrich",
        1 => "1 field enriched",
        _ => string.Create(CultureInfo.InvariantCulture, $"{n} fields enriched"),
    })];

    /// <summary>Returns <c>nothing to enrich</c>, <c>1 field enriched</c> or <c>n fields enriched</c>.</summary>
    internal static string Summary(int filled) =>
        filled >= 0 && filled < Summaries.Length ? Summaries[filled] : string.Create(CultureInfo.InvariantCulture, $"{filled} fields enriched");

    internal static int Infer(Lead lead, DateTimeOffset now)
    {
        var filled = 0;
        var email = lead.Email;
        if (string.IsNullOrWhiteSpace(lead.CompanyDomain) && email is not null && EmailAddress.IsValid(email))
        {
            var domain = EmailAddress.DomainOf(email);
            if (!FreeMailLookup.Contains(domain))
            {
                lead.CompanyDomain = LeadIdentity.NormalizeDomain(domain.ToString());
                lead.Provenance[EnrichmentFields.CompanyDomain] = new FieldProvenance(InferenceProvider, now, 0.9);
                filled++;
            }
        }

        if (string.IsNullOrWhiteSpace(lead.CompanyName) && lead.CompanyDomain is { Length: > 0 } companyDomain)
        {
            var dot = companyDomain.IndexOf('.', StringComparison.Ordinal);
            var label = dot < 0 ? companyDomain.AsSpan() : companyDomain.AsSpan(0, dot);
            if (label.Length > 1)
            {
                lead.CompanyName = string.Concat([char.ToUpperInvariant(label[0])], label[1..]);
                lead.Provenance[EnrichmentFields.CompanyName] = new FieldProvenance(InferenceProvider, now, 0.5);
                filled++;
            }
        }

        if (!string.IsNullOrWhiteSpace(lead.Country))
        {
            var country = lead.Country.Trim();
            if (country.Length != 2 && CountryNames.TryGetValue(country, out var code))
            {
                lead.Country = code;
                lead.Provenance[EnrichmentFields.Country] = new FieldProvenance(InferenceProvider, now, 0.95);
                filled++;
            }
            else if (country.Length == 2 && !country.Equals(lead.Country, StringComparison.Ordinal))
            {
                lead.Country = country.ToUpperInvariant();
            }
        }
        else if (lead.CompanyDomain is { Length: > 0 } d)
        {
            var tld = d.AsSpan(d.LastIndexOf('.') + 1);
            if (CountryCodeDomainLookup.Contains(tld))
            {
                lead.Country = tld.ToString().ToUpperInvariant();
                lead.Provenance[EnrichmentFields.Country] = new FieldProvenance(InferenceProvider, now, 0.6);
                filled++;
            }
        }

        return filled;
    }

    private async ValueTask<EnrichmentResult> AskProvidersAsync(Lead lead, int filled, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var provider in _providers)
        {
            var missing = MissingFields(lead);
            if (missing.Count == 0)
            {
                break;
            }

            IReadOnlyList<EnrichedValue> values;
            try
            {
                values = await provider.LookupAsync(lead, missing, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // One vendor's outage must not fail the lead; the next provider is asked.
                LogProviderFailed(_logger, provider.Name, lead.Id, ex);
                continue;
            }

            foreach (var value in values)
            {
                if (missing.Contains(value.Field) && Apply(lead, value))
                {
                    lead.Provenance[value.Field] = new FieldProvenance(provider.Name, now, Math.Clamp(value.Confidence, 0, 1));
                    missing.Remove(value.Field);
                    filled++;
                }
            }
        }

        return Result(filled);
    }

    internal static HashSet<string> MissingFields(Lead lead)
    {
        var missing = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(lead.CompanyDomain)) missing.Add(EnrichmentFields.CompanyDomain);
        if (string.IsNullOrWhiteSpace(lead.CompanyName)) missing.Add(EnrichmentFields.CompanyName);
        if (string.IsNullOrWhiteSpace(lead.Industry)) missing.Add(EnrichmentFields.Industry);
        if (lead.CompanySize is null or <= 0) missing.Add(EnrichmentFields.CompanySize);
        if (string.IsNullOrWhiteSpace(lead.Country)) missing.Add(EnrichmentFields.Country);
        if (string.IsNullOrWhiteSpace(lead.Title)) missing.Add(EnrichmentFields.Title);
        if (string.IsNullOrWhiteSpace(lead.Phone)) missing.Add(EnrichmentFields.Phone);
        return missing;
    }

    internal static bool Apply(Lead lead, EnrichedValue value)
    {
        if (string.IsNullOrWhiteSpace(value.Value))
        {
            return false;
        }

        switch (value.Field)
        {
            case EnrichmentFields.CompanyDomain: lead.CompanyDomain = LeadIdentity.NormalizeDomain(value.Value); return lead.CompanyDomain is not null;
            case EnrichmentFields.CompanyName: lead.CompanyName = value.Value.Trim(); return true;
            case EnrichmentFields.Industry: lead.Industry = value.Value.Trim(); return true;
            case EnrichmentFields.Country: lead.Country = value.Value.Trim(); return true;
            case EnrichmentFields.Title: lead.Title = value.Value.Trim(); return true;
            case EnrichmentFields.Phone: lead.Phone = value.Value.Trim(); return true;
            case EnrichmentFields.CompanySize:
                if (int.TryParse(value.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) && size > 0)
                {
                    lead.CompanySize = size;
                    return true;
                }

                return false;
            default:
                return false;
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Enrichment provider {Provider} failed for lead {LeadId}; trying the next provider")]
    private static partial void LogProviderFailed(ILogger logger, string provider, Guid leadId, Exception exception);
}
