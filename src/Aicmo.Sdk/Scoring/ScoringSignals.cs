namespace Aicmo.Sdk.Scoring;

/// <summary>The names of the built-in signals of <see cref="RuleBasedScorer"/>, with their default weights and scores.</summary>
public static class ScoringSignals
{
    /// <summary>The email address is syntactically valid.</summary>
    public const string EmailValid = "email.valid";

    /// <summary>The email address is on a company domain, not free mail.</summary>
    public const string EmailBusiness = "email.business";

    /// <summary>The email address belongs to a person, not a role account (info@, sales@).</summary>
    public const string EmailPersonal = "email.personal";

    /// <summary>The email domain is not a disposable (throw-away) domain.</summary>
    public const string EmailNotDisposable = "email.notDisposable";

    /// <summary>The email domain matches the company domain.</summary>
    public const string EmailDomainMatch = "email.domainMatch";

    /// <summary>How senior the title is.</summary>
    public const string TitleSeniority = "title.seniority";

    /// <summary>The title's job function is a target function.</summary>
    public const string TitleFunction = "title.function";

    /// <summary>The title names a buying role (decision maker, budget holder).</summary>
    public const string TitleDecisionMaker = "title.decisionMaker";

    /// <summary>The company size band.</summary>
    public const string CompanySize = "company.size";

    /// <summary>The company size is inside the ideal customer profile.</summary>
    public const string CompanySizeFit = "company.sizeFit";

    /// <summary>The revenue band.</summary>
    public const string RevenueBand = "company.revenue";

    /// <summary>The revenue is inside the ideal customer profile.</summary>
    public const string RevenueFit = "company.revenueFit";

    /// <summary>The industry is a target industry.</summary>
    public const string IndustryMatch = "industry.match";

    /// <summary>The country is a target country.</summary>
    public const string CountryMatch = "country.match";

    /// <summary>The country's region is a target region.</summary>
    public const string RegionMatch = "region.match";

    /// <summary>A phone number is present.</summary>
    public const string PhonePresent = "phone.present";

    /// <summary>The phone number has a plausible number of digits.</summary>
    public const string PhoneValid = "phone.valid";

    /// <summary>The share of profile fields that are filled in.</summary>
    public const string Completeness = "data.completeness";

    /// <summary>The person's full name is known.</summary>
    public const string NamePresent = "data.name";

    /// <summary>The company name and domain are known.</summary>
    public const string CompanyKnown = "data.company";

    /// <summary>The person's time zone is known (emails can be sent at a good local time).</summary>
    public const string TimeZoneKnown = "data.timeZone";

    /// <summary>The average confidence of enriched fields.</summary>
    public const string EnrichmentConfidence = "data.enrichmentConfidence";

    /// <summary>The quality of the source the lead came from.</summary>
    public const string SourceQuality = "source.quality";

    /// <summary>How recently the lead was created.</summary>
    public const string Freshness = "lead.freshness";

    /// <summary>Website visits.</summary>
    public const string IntentVisits = "intent.visits";

    /// <summary>Pricing-page visits.</summary>
    public const string IntentPricingVisits = "intent.pricingVisits";

    /// <summary>Content downloads.</summary>
    public const string IntentDownloads = "intent.downloads";

    /// <summary>Replies to earlier emails.</summary>
    public const string IntentReplies = "intent.replies";

    /// <summary>Webinars attended.</summary>
    public const string IntentWebinars = "intent.webinars";

    /// <summary>Demo or trial requests.</summary>
    public const string IntentDemoRequests = "intent.demoRequests";

    /// <summary>Emails opened.</summary>
    public const string IntentEmailOpens = "intent.emailOpens";

    /// <summary>Links clicked in emails.</summary>
    public const string IntentEmailClicks = "intent.emailClicks";

    /// <summary>Form fills and chats.</summary>
    public const string IntentFormFills = "intent.formFills";

    /// <summary>How recent the latest intent activity is.</summary>
    public const string IntentRecency = "intent.recency";

    /// <summary>Gets the default weight of every built-in signal.</summary>
    public static IReadOnlyDictionary<string, double> DefaultWeights { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        [EmailValid] = 1.0,
        [EmailBusiness] = 1.0,
        [EmailPersonal] = 0.5,
        [EmailNotDisposable] = 1.0,
        [EmailDomainMatch] = 0.5,
        [TitleSeniority] = 2.0,
        [TitleFunction] = 1.0,
        [TitleDecisionMaker] = 0.5,
        [CompanySize] = 1.5,
        [CompanySizeFit] = 0.5,
        [RevenueBand] = 1.0,
        [RevenueFit] = 0.5,
        [IndustryMatch] = 1.0,
        [CountryMatch] = 0.5,
        [RegionMatch] = 0.5,
        [PhonePresent] = 0.5,
        [PhoneValid] = 0.25,
        [Completeness] = 1.0,
        [NamePresent] = 0.25,
        [CompanyKnown] = 0.25,
        [TimeZoneKnown] = 0.25,
        [EnrichmentConfidence] = 0.25,
        [SourceQuality] = 0.5,
        [Freshness] = 0.5,
        [IntentVisits] = 1.0,
        [IntentPricingVisits] = 1.5,
        [IntentDownloads] = 1.0,
        [IntentReplies] = 2.0,
        [IntentWebinars] = 1.0,
        [IntentDemoRequests] = 2.5,
        [IntentEmailOpens] = 0.5,
        [IntentEmailClicks] = 1.0,
        [IntentFormFills] = 1.0,
        [IntentRecency] = 1.0,
    };

    /// <summary>Returns the named score a built-in signal belongs to.</summary>
    /// <param name="signal">The signal name.</param>
    /// <returns><see cref="ScoreNames.Intent"/> for <c>intent.*</c> signals, otherwise <see cref="ScoreNames.Fit"/>.</returns>
    public static string ScoreOf(string signal) =>
        signal.StartsWith("intent.", StringComparison.Ordinal) ? ScoreNames.Intent : ScoreNames.Fit;
}
