namespace Aicmo.Sdk.Scoring;

/// <summary>The lead attributes the intent signals read.</summary>
public static class IntentAttributes
{
    /// <summary>Website visits.</summary>
    public const string Visits = "visits";

    /// <summary>Visits of the pricing page.</summary>
    public const string PricingVisits = "pricingVisits";

    /// <summary>Content downloads.</summary>
    public const string Downloads = "downloads";

    /// <summary>Replies to earlier emails.</summary>
    public const string Replies = "replies";

    /// <summary>Webinars attended.</summary>
    public const string Webinars = "webinars";

    /// <summary>Demo or trial requests.</summary>
    public const string DemoRequests = "demoRequests";

    /// <summary>Emails opened.</summary>
    public const string EmailOpens = "emailOpens";

    /// <summary>Links clicked in emails.</summary>
    public const string EmailClicks = "emailClicks";

    /// <summary>Events (form fills, chat) not covered above.</summary>
    public const string FormFills = "formFills";

    /// <summary>When the latest intent activity happened (ISO 8601); intent decays from here.</summary>
    public const string LastActivityAt = "lastActivityAt";

    /// <summary>Gets how many events make each intent signal full, unless <see cref="RuleBasedScorerOptions.IntentSaturation"/> overrides it.</summary>
    public static IReadOnlyDictionary<string, double> DefaultSaturation { get; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
    {
        [Visits] = 20, [PricingVisits] = 3, [Downloads] = 3, [Replies] = 1, [Webinars] = 2, [DemoRequests] = 1,
        [EmailOpens] = 10, [EmailClicks] = 3, [FormFills] = 2,
    };
}
