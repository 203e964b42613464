using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Stages;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Scoring;

/// <summary>
/// The default scorer: a weighted sum of rule-based signals computed from the lead's fields.
/// Each component's contribution is its weight share times its raw value, so the components add up to the score.
/// </summary>
public sealed class RuleBasedScorer : ILeadScorer
{
    private static readonly string[] SignalOrder =
    [
        ScoringSignals.EmailValid, ScoringSignals.EmailBusiness, ScoringSignals.TitleSeniority, ScoringSignals.CompanySize,
        ScoringSignals.IndustryMatch, ScoringSignals.CountryMatch, ScoringSignals.PhonePresent, ScoringSignals.Completeness,
    ];

    private readonly RuleBasedScorerOptions _options;
    private readonly string[] _signals;
    private readonly double[] _weights;
    private readonly double[] _shares;

    /// <summary>Initializes a new instance of the <see cref="RuleBasedScorer"/> class.</summary>
    /// <param name="options">The pipeline options; <see cref="Pipeline.AicmoPipelineOptions.Scoring"/> is used.</param>
    public RuleBasedScorer(IOptions<Pipeline.AicmoPipelineOptions> options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value.Scoring)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RuleBasedScorer"/> class.</summary>
    /// <param name="options">The scorer options.</param>
    public RuleBasedScorer(RuleBasedScorerOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        var active = SignalOrder.Where(s => options.Weights.TryGetValue(s, out var w) && w > 0).ToArray();
        _signals = active;
        _weights = active.Select(s => options.Weights[s]).ToArray();
        var total = _weights.Sum();
        _shares = _weights.Select(w => total > 0 ? w / total : 0).ToArray();
    }

    /// <inheritdoc />
    public ValueTask<LeadScore> ScoreAsync(Lead lead, StageContext context, CancellationToken cancellationToken) => new(Score(lead));

    /// <summary>Scores a lead synchronously.</summary>
    /// <param name="lead">The lead.</param>
    /// <returns>The score with one component per active signal.</returns>
    public LeadScore Score(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var components = new ScoreComponent[_signals.Length];
        double total = 0;
        for (var i = 0; i < _signals.Length; i++)
        {
            var (raw, reason) = Evaluate(_signals[i], lead);
            var contribution = _shares[i] * raw;
            total += contribution;
            components[i] = new ScoreComponent(_signals[i], _weights[i], raw, contribution, reason);
        }

        var value = Math.Clamp(total, 0, 1);
        return new LeadScore(value, _options.GradeOf(value), components);
    }

    private (double Raw, string Reason) Evaluate(string signal, Lead lead) => signal switch
    {
        ScoringSignals.EmailValid => lead.Email is not null && EmailAddress.IsValid(lead.Email)
            ? (1, "the address is well-formed")
            : (0, "the address is missing or malformed"),
        ScoringSignals.EmailBusiness => EmailBusiness(lead.Email),
        ScoringSignals.TitleSeniority => Seniority(lead.Title),
        ScoringSignals.CompanySize => lead.CompanySize switch
        {
            null or <= 0 => (0, "company size unknown"),
            >= 1000 => (1, "1000+ employees"),
            >= 200 => (0.8, "200-999 employees"),
            >= 50 => (0.6, "50-199 employees"),
            >= 10 => (0.4, "10-49 employees"),
            _ => (0.2, "1-9 employees"),
        },
        ScoringSignals.IndustryMatch => Match(lead.Industry, _options.TargetIndustries, "industry"),
        ScoringSignals.CountryMatch => Match(lead.Country, _options.TargetCountries, "country"),
        ScoringSignals.PhonePresent => string.IsNullOrWhiteSpace(lead.Phone) ? (0, "no phone number") : (1, "phone number present"),
        ScoringSignals.Completeness => Completeness(lead),
        _ => (0, "unknown signal"),
    };

    private static (double, string) EmailBusiness(string? email)
    {
        if (email is null || !EmailAddress.IsValid(email))
        {
            return (0, "no valid address");
        }

        var domain = EmailAddress.DomainOf(email);
        var lookup = EmailDomains.FreeMail.GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup.Contains(domain) ? (0, "free-mail address") : (1, "address on a company domain");
    }

    private static (double, string) Seniority(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return (0, "no title");
        }

        var t = title.AsSpan();
        if (HasWord(t, "chief") || HasWord(t, "ceo") || HasWord(t, "cto") || HasWord(t, "cfo") || HasWord(t, "coo") ||
            HasWord(t, "cmo") || HasWord(t, "cio") || HasWord(t, "founder") || HasWord(t, "co-founder") || HasWord(t, "owner") ||
            HasWord(t, "president") || HasWord(t, "partner"))
        {
            return (1, "C-level or founder");
        }

        if (HasWord(t, "vp") || t.Contains("vice president", StringComparison.OrdinalIgnoreCase) || HasWord(t, "svp") || HasWord(t, "evp"))
        {
            return (0.85, "vice president");
        }

        if (HasWord(t, "director") || HasWord(t, "head"))
        {
            return (0.7, "director or head of");
        }

        if (HasWord(t, "manager") || HasWord(t, "lead") || HasWord(t, "principal"))
        {
            return (0.5, "manager or lead");
        }

        return (0.25, "individual contributor");
    }

    private static bool HasWord(ReadOnlySpan<char> text, string word)
    {
        var start = 0;
        while (start < text.Length)
        {
            var index = text[start..].IndexOf(word, StringComparison.OrdinalIgnoreCase);
            if (index < 0)
            {
                return false;
            }

            index += start;
            var end = index + word.Length;
            var leftOk = index == 0 || !char.IsLetterOrDigit(text[index - 1]);
            var rightOk = end == text.Length || !char.IsLetterOrDigit(text[end]);
            if (leftOk && rightOk)
            {
                return true;
            }

            start = index + 1;
        }

        return false;
    }

    private static (double, string) Match(string? value, ISet<string> targets, string what)
    {
        if (targets.Count == 0)
        {
            return (0.5, what == "industry" ? "no target industries configured" : "no target countries configured");
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return (0, what == "industry" ? "industry unknown" : "country unknown");
        }

        return targets.Contains(value.Trim())
            ? (1, what == "industry" ? "target industry" : "target country")
            : (0, what == "industry" ? "not a target industry" : "not a target country");
    }

    private static (double, string) Completeness(Lead lead)
    {
        var filled = 0;
        if (!string.IsNullOrWhiteSpace(lead.FirstName)) filled++;
        if (!string.IsNullOrWhiteSpace(lead.LastName)) filled++;
        if (!string.IsNullOrWhiteSpace(lead.Email)) filled++;
        if (!string.IsNullOrWhiteSpace(lead.Title)) filled++;
        if (!string.IsNullOrWhiteSpace(lead.Phone)) filled++;
        if (!string.IsNullOrWhiteSpace(lead.CompanyName)) filled++;
        if (!string.IsNullOrWhiteSpace(lead.CompanyDomain)) filled++;
        if (!string.IsNullOrWhiteSpace(lead.Industry)) filled++;
        if (lead.CompanySize is > 0) filled++;
        if (!string.IsNullOrWhiteSpace(lead.Country)) filled++;
        return (filled / 10.0, CompletenessReasons[filled]);
    }

    private static readonly string[] CompletenessReasons =
        Enumerable.Range(0, 11).Select(i => $"{i} of 10 profile fields filled").ToArray();
}
