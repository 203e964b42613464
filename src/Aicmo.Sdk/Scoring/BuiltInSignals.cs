using System.Collections.Frozen;
using System.Globalization;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;

namespace Aicmo.Sdk.Scoring;

/// <summary>The evaluators of the built-in signals. Each returns a raw value in [0, 1] and a reason a person can read.</summary>
internal static partial class BuiltInSignals
{
    public delegate (double Raw, string Reason) Evaluator(in Input input);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> RoleAccountLookup = EmailDomains.RoleAccounts.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly IntentSignal IntentVisits = new(IntentAttributes.Visits, "website visits");
    private static readonly IntentSignal IntentPricingVisits = new(IntentAttributes.PricingVisits, "pricing-page visits");
    private static readonly IntentSignal IntentDownloads = new(IntentAttributes.Downloads, "downloads");
    private static readonly IntentSignal IntentReplies = new(IntentAttributes.Replies, "replies");
    private static readonly IntentSignal IntentWebinars = new(IntentAttributes.Webinars, "webinars attended");
    private static readonly IntentSignal IntentDemoRequests = new(IntentAttributes.DemoRequests, "demo requests");
    private static readonly IntentSignal IntentEmailOpens = new(IntentAttributes.EmailOpens, "email opens");
    private static readonly IntentSignal IntentEmailClicks = new(IntentAttributes.EmailClicks, "email clicks");
    private static readonly IntentSignal IntentFormFills = new(IntentAttributes.FormFills, "form fills");

    private static readonly MatchReasons IndustryReasons = new("industry");
    private static readonly MatchReasons CountryReasons = new("country");
    private static readonly MatchReasons RegionReasons = new("region");

    public static readonly FrozenDictionary<string, Evaluator> Evaluators = new Dictionary<string, Evaluator>(StringComparer.Ordinal)
    {
        [ScoringSignals.EmailValid] = static (in Input i) => i.EmailValid ? (1, "the address is well-formed") : (0, "the address is missing or malformed"),
        [ScoringSignals.EmailBusiness] = static (in Input i) => !i.EmailValid ? (0, "no valid address")
            : EmailDomainFacts.IsFreeMail(i.EmailDomain) ? (0, "free-mail address") : (1, "address on a company domain"),
        [ScoringSignals.EmailPersonal] = static (in Input i) => !i.EmailValid ? (0, "no valid address")
            : RoleAccountLookup.Contains(EmailAddress.LocalPartOf(i.Lead.Email)) ? (0, "role account (not a person)") : (1, "personal address"),
        [ScoringSignals.EmailNotDisposable] = static (in Input i) => !i.EmailValid ? (0, "no valid address")
            : EmailDomainFacts.IsDisposable(i.EmailDomain) ? (0, "disposable email domain") : (1, "not a disposable domain"),
        [ScoringSignals.EmailDomainMatch] = static (in Input i) => DomainMatch(i),
        [ScoringSignals.TitleSeniority] = static (in Input i) => i.Title is { } t ? t.Seniority : (0, "no title"),
        [ScoringSignals.TitleFunction] = static (in Input i) => i.Title is { } t ? Function(t.Functions, i.Options.TargetFunctions) : (0, "no title"),
        [ScoringSignals.TitleDecisionMaker] = static (in Input i) => i.Title is { } t ? t.DecisionMaker : (0, "no title"),
        [ScoringSignals.CompanySize] = static (in Input i) => i.Lead.CompanySize switch
        {
            null or <= 0 => (0, "company size unknown"),
            >= 1000 => (1, "1000+ employees"),
            >= 200 => (0.8, "200-999 employees"),
            >= 50 => (0.6, "50-199 employees"),
            >= 10 => (0.4, "10-49 employees"),
            _ => (0.2, "1-9 employees"),
        },
        [ScoringSignals.CompanySizeFit] = static (in Input i) => CompanySizeFit(i),
        [ScoringSignals.RevenueBand] = static (in Input i) => i.Lead.AnnualRevenue switch
        {
            null or <= 0 => (0, "revenue unknown"),
            >= 1_000_000_000m => (1, "revenue $1B+"),
            >= 100_000_000m => (0.8, "revenue $100M-$1B"),
            >= 10_000_000m => (0.6, "revenue $10M-$100M"),
            >= 1_000_000m => (0.4, "revenue $1M-$10M"),
            _ => (0.2, "revenue under $1M"),
        },
        [ScoringSignals.RevenueFit] = static (in Input i) => i.Lead.AnnualRevenue is not { } revenue || revenue <= 0 ? (0, "revenue unknown")
            : revenue >= i.Options.IdealRevenueMin && revenue <= i.Options.IdealRevenueMax ? (1, "revenue inside the ideal range") : (0, "revenue outside the ideal range"),
        [ScoringSignals.IndustryMatch] = static (in Input i) => Match(i.Lead.Industry, i.Options.TargetIndustries, IndustryReasons),
        [ScoringSignals.CountryMatch] = static (in Input i) => Match(i.Lead.Country, i.Options.TargetCountries, CountryReasons),
        [ScoringSignals.RegionMatch] = static (in Input i) => i.Options.TargetRegions.Count == 0 ? RegionReasons.NoTargets
            : Match(Regions.Of(i.Lead.Country), i.Options.TargetRegions, RegionReasons),
        [ScoringSignals.PhonePresent] = static (in Input i) => string.IsNullOrWhiteSpace(i.Lead.Phone) ? (0, "no phone number") : (1, "phone number present"),
        [ScoringSignals.PhoneValid] = static (in Input i) => PhoneValid(i.Lead.Phone),
        [ScoringSignals.Completeness] = static (in Input i) => Completeness(i.Lead),
        [ScoringSignals.NamePresent] = static (in Input i) => (string.IsNullOrWhiteSpace(i.Lead.FirstName), string.IsNullOrWhiteSpace(i.Lead.LastName)) switch
        {
            (false, false) => (1, "full name known"),
            (true, true) => (0, "name unknown"),
            _ => (0.5, "only part of the name known"),
        },
        [ScoringSignals.CompanyKnown] = static (in Input i) => (string.IsNullOrWhiteSpace(i.Lead.CompanyName), string.IsNullOrWhiteSpace(i.Lead.CompanyDomain)) switch
        {
            (false, false) => (1, "company name and domain known"),
            (true, true) => (0, "company unknown"),
            _ => (0.5, "company name or domain missing"),
        },
        [ScoringSignals.TimeZoneKnown] = static (in Input i) => string.IsNullOrWhiteSpace(i.Lead.TimeZone) ? (0, "time zone unknown")
            : Nurture.TimeZoneLookup.IsKnown(i.Lead.TimeZone) ? (1, "time zone known") : (0, "time zone not recognized"),
        [ScoringSignals.EnrichmentConfidence] = static (in Input i) => EnrichmentConfidence(i.Lead),
        [ScoringSignals.SourceQuality] = static (in Input i) => SourceQuality(i),
        [ScoringSignals.Freshness] = static (in Input i) => Freshness(i),
        [ScoringSignals.IntentVisits] = static (in Input i) => Intent(i, IntentVisits),
        [ScoringSignals.IntentPricingVisits] = static (in Input i) => Intent(i, IntentPricingVisits),
        [ScoringSignals.IntentDownloads] = static (in Input i) => Intent(i, IntentDownloads),
        [ScoringSignals.IntentReplies] = static (in Input i) => Intent(i, IntentReplies),
        [ScoringSignals.IntentWebinars] = static (in Input i) => Intent(i, IntentWebinars),
        [ScoringSignals.IntentDemoRequests] = static (in Input i) => Intent(i, IntentDemoRequests),
        [ScoringSignals.IntentEmailOpens] = static (in Input i) => Intent(i, IntentEmailOpens),
        [ScoringSignals.IntentEmailClicks] = static (in Input i) => Intent(i, IntentEmailClicks),
        [ScoringSignals.IntentFormFills] = static (in Input i) => Intent(i, IntentFormFills),
        [ScoringSignals.IntentRecency] = static (in Input i) => i.HasActivityDate
            ? (i.Decay, RoundsToZeroDays(i.ActivityAge.TotalDays) ? "last activity 0 days ago" : DaysAgo("last activity ", i.ActivityAge.TotalDays))
            : (0, "no activity date"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Formatted reasons repeat across leads (sizes, counts, rounded averages): each text is made once (TextCache), and the
    // reasons that depend on a few values are looked up by them (ReasonMemo). Justified by
    // benchmarks/results/EngineBenchmarks-caches-before-after.md (RuleBasedScorer.Score 1.0 µs / 533 B with them, 1.8 µs / 836 B without).
    private const int ReasonBuffer = 160;
    private static readonly TextCache Reasons = new(8_192);
    // Company sizes take thousands of values: room for each of them, so a size seen before is found again.
    private static readonly ReasonMemo<(int Size, int Min, int Max)> SizeFitReasons = new(16_384);
    private static readonly ReasonMemo<(int Fields, long Average)> ConfidenceReasons = new();

    private static (double, string) CompanySizeFit(in Input i)
    {
        if (i.Lead.CompanySize is not { } size || size <= 0)
        {
            return (0, "company size unknown");
        }

        var options = i.Options;
        var inside = size >= options.IdealCompanySizeMin && size <= options.IdealCompanySizeMax;
        var key = (size, options.IdealCompanySizeMin, options.IdealCompanySizeMax);
        if (SizeFitReasons.TryGet(key, out var known))
        {
            return (inside ? 1 : 0, known);
        }

        var where = inside ? "inside" : "outside";
        Span<char> buffer = stackalloc char[ReasonBuffer];
        var reason = buffer.TryWrite(CultureInfo.InvariantCulture, $"{size} employees, {where} the ideal {options.IdealCompanySizeMin}-{options.IdealCompanySizeMax}", out var n)
            ? Reasons.Get(buffer[..n])
            : string.Create(CultureInfo.InvariantCulture, $"{size} employees, {where} the ideal {options.IdealCompanySizeMin}-{options.IdealCompanySizeMax}");
        return (inside ? 1 : 0, SizeFitReasons.Add(key, reason));
    }

    private static (double, string) SourceQuality(in Input i)
    {
        if (!i.Options.SourceQuality.TryGetValue(i.Lead.Source ?? string.Empty, out var q))
        {
            return (0.5, "source not rated");
        }

        Span<char> buffer = stackalloc char[ReasonBuffer];
        var source = i.Lead.Source;
        var reason = buffer.TryWrite(CultureInfo.InvariantCulture, $"source '{source}' rated {q:0.00}", out var n)
            ? Reasons.Get(buffer[..n])
            : string.Create(CultureInfo.InvariantCulture, $"source '{source}' rated {q:0.00}");
        return (q, reason);
    }

    private static string DaysAgo(string what, double days)
    {
        Span<char> buffer = stackalloc char[ReasonBuffer];
        return buffer.TryWrite(CultureInfo.InvariantCulture, $"{what}{days:0.#} days ago", out var n)
            ? Reasons.Get(buffer[..n])
            : string.Create(CultureInfo.InvariantCulture, $"{what}{days:0.#} days ago");
    }

    public static (double, string) EvaluateRule(AttributeRule rule, Lead lead)
    {
        if (!lead.HasAttributes || !lead.Attributes.TryGetValue(rule.Attribute, out var value) || string.IsNullOrWhiteSpace(value))
        {
            return (0, $"attribute '{rule.Attribute}' missing");
        }

        value = value.Trim();
        if (rule.Value is not null && !string.Equals(value, rule.Value, StringComparison.OrdinalIgnoreCase))
        {
            return (0, $"attribute '{rule.Attribute}' is not '{rule.Value}'");
        }

        if (rule.In.Count > 0 && !rule.In.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            return (0, $"attribute '{rule.Attribute}' is not one of {string.Join(", ", rule.In)}");
        }

        if (rule.Min is not null || rule.Max is not null)
        {
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return (0, $"attribute '{rule.Attribute}' is not a number");
            }

            if (number < rule.Min || number > rule.Max)
            {
                return (0, string.Create(CultureInfo.InvariantCulture, $"attribute '{rule.Attribute}' = {number} is out of range"));
            }
        }

        return (1, $"attribute '{rule.Attribute}' matches");
    }

    private static (double, string) DomainMatch(in Input i)
    {
        if (!i.EmailValid || string.IsNullOrWhiteSpace(i.Lead.CompanyDomain))
        {
            return (0, "email or company domain unknown");
        }

        var company = i.Lead.CompanyDomain.AsSpan();
        var email = i.EmailDomain;
        return email.Equals(company, StringComparison.OrdinalIgnoreCase) ||
               (email.Length > company.Length && email[email.Length - company.Length - 1] == '.' && email.EndsWith(company, StringComparison.OrdinalIgnoreCase))
            ? (1, "email domain matches the company domain")
            : (0, "email domain differs from the company domain");
    }

    private static (double, string) Seniority(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return (0, "no title");
        }

        var t = title.AsSpan();
        if (HasAnyWord(t, "chief", "ceo", "cto", "cfo", "coo", "cmo", "cio", "cro", "founder", "co-founder", "owner", "president", "partner"))
        {
            return (1, "C-level or founder");
        }

        if (HasAnyWord(t, "vp", "svp", "evp") || t.Contains("vice president", StringComparison.OrdinalIgnoreCase))
        {
            return (0.85, "vice president");
        }

        if (HasAnyWord(t, "director", "head"))
        {
            return (0.7, "director or head of");
        }

        if (HasAnyWord(t, "manager", "lead", "principal"))
        {
            return (0.5, "manager or lead");
        }

        return (0.25, "individual contributor");
    }

    private static readonly (string Function, string[] Words)[] Functions =
    [
        ("executive", ["chief", "ceo", "founder", "co-founder", "president", "owner", "coo"]),
        ("sales", ["sales", "account", "revenue", "cro", "business development", "bdr", "sdr"]),
        ("marketing", ["marketing", "growth", "cmo", "brand", "demand"]),
        ("engineering", ["engineering", "engineer", "developer", "cto", "software"]),
        ("product", ["product"]),
        ("finance", ["finance", "cfo", "controller", "accounting", "analyst"]),
        ("operations", ["operations", "ops", "logistics", "supply"]),
        ("it", ["it", "cio", "infrastructure", "security", "systems"]),
        ("hr", ["hr", "people", "talent", "recruiting"]),
    ];

    private static readonly string[] TargetFunctionReasons = Array.ConvertAll(Functions, f => $"target function ({f.Function})");
    private static readonly string[] NoTargetFunctionReasons = Array.ConvertAll(Functions, f => $"function {f.Function}; no target functions configured");
    private static readonly string[] NotTargetFunctionReasons = Array.ConvertAll(Functions, f => $"function {f.Function} is not a target");

    /// <summary>Returns the bit set of <see cref="Functions"/> (bit i for entry i) whose words appear in the title.</summary>
    private static int FunctionsOf(string title)
    {
        var mask = 0;
        for (var f = 0; f < Functions.Length; f++)
        {
            if (HasAnyWord(title, Functions[f].Words))
            {
                mask |= 1 << f;
            }
        }

        return mask;
    }

    private static (double, string) Function(int functions, ISet<string> targets)
    {
        var found = -1;
        for (var f = 0; f < Functions.Length; f++)
        {
            if ((functions & (1 << f)) != 0)
            {
                if (found < 0)
                {
                    found = f;
                }

                if (targets.Contains(Functions[f].Function))
                {
                    return (1, TargetFunctionReasons[f]);
                }
            }
        }

        if (targets.Count == 0)
        {
            return (0.5, found < 0 ? "no target functions configured" : NoTargetFunctionReasons[found]);
        }

        return (0, found < 0 ? "function not recognized" : NotTargetFunctionReasons[found]);
    }

    private static (double, string) DecisionMaker(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return (0, "no title");
        }

        return HasAnyWord(title, "chief", "ceo", "cto", "cfo", "coo", "cmo", "cio", "cro", "founder", "co-founder", "owner", "president", "vp", "svp", "evp", "director", "head", "buyer", "procurement")
            || title.Contains("vice president", StringComparison.OrdinalIgnoreCase)
            ? (1, "buying role")
            : (0, "not a buying role");
    }

    private static (double, string) Match(string? value, ISet<string> targets, MatchReasons reasons)
    {
        if (targets.Count == 0)
        {
            return reasons.NoTargets;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return reasons.Unknown;
        }

        return targets.Contains(value.Trim()) ? reasons.Target : reasons.NotTarget;
    }

    private static (double, string) PhoneValid(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return (0, "no phone number");
        }

        var digits = 0;
        foreach (var c in phone)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (!(c is ' ' or '+' or '-' or '(' or ')' or '.' or 'x' or 'X'))
            {
                return (0, "phone number holds unexpected characters");
            }
        }

        return digits is >= 7 and <= 20 ? (1, "plausible phone number") : (0, string.Create(CultureInfo.InvariantCulture, $"phone number has {digits} digits"));
    }

    private static readonly string[] CompletenessReasons = Enumerable.Range(0, 11).Select(i => $"{i} of 10 profile fields filled").ToArray();

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

    private static (double, string) EnrichmentConfidence(Lead lead)
    {
        if (!lead.HasProvenance)
        {
            return (1, "no enriched fields; all data from the source");
        }

        // The same sum in the same order as Enumerable.Average, without its enumerator and delegate.
        double sum = 0;
        var count = 0;
        // The map itself is enumerated (in the order of its values): its Values collection would be one more object per lead.
        foreach (var (_, provenance) in lead.ProvenanceMap!)
        {
            sum += provenance.Confidence;
            count++;
        }

        var average = sum / count;
        var key = (count, BitConverter.DoubleToInt64Bits(average));
        if (ConfidenceReasons.TryGet(key, out var known))
        {
            return (average, known);
        }

        Span<char> buffer = stackalloc char[ReasonBuffer];
        var reason = buffer.TryWrite(CultureInfo.InvariantCulture, $"{count} enriched fields, average confidence {average:0.00}", out var n)
            ? Reasons.Get(buffer[..n])
            : string.Create(CultureInfo.InvariantCulture, $"{count} enriched fields, average confidence {average:0.00}");
        return (average, ConfidenceReasons.Add(key, reason));
    }

    private static (double, string) Freshness(in Input i)
    {
        if (i.Lead.CreatedAt == default)
        {
            return (1, "new lead");
        }

        var age = i.Now - i.Lead.CreatedAt;
        if (age <= TimeSpan.Zero)
        {
            return (1, "created just now");
        }

        var raw = Math.Pow(0.5, age / i.Options.FreshnessHalfLife);
        return (raw, RoundsToZeroDays(age.TotalDays) ? "created 0 days ago" : DaysAgo("created ", age.TotalDays));
    }

    private static (double, string) Intent(in Input i, IntentSignal signal)
    {
        var attribute = signal.Attribute;
        var what = signal.What;
        if (!i.Lead.HasAttributes || !i.Lead.Attributes.TryGetValue(attribute, out var text) ||
            !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var count) || !double.IsFinite(count) || count <= 0)
        {
            return signal.None;
        }

        var saturation = i.Options.IntentSaturation.TryGetValue(attribute, out var s) ? s
            : IntentAttributes.DefaultSaturation.TryGetValue(attribute, out var d) ? d : 1;
        var raw = Math.Min(1, count / saturation);
        var decay = i.Decay;
        var days = i.ActivityAge.TotalDays;

        // A lead scored as it streams through is seconds old: its decay prints as 100% after 0 days (decay above 0.9951 rounds
        // to 100 whichever way a tie would go), so the reason depends on the count and the saturation alone.
        var memo = decay >= 1 || (decay >= 0.9951 && RoundsToZeroDays(days));
        var key = (BitConverter.DoubleToInt64Bits(count), BitConverter.DoubleToInt64Bits(saturation), decay < 1);
        if (memo && signal.Reasons.TryGet(key, out var known))
        {
            return (decay < 1 ? raw * decay : raw, known);
        }

        Span<char> buffer = stackalloc char[ReasonBuffer];
        int n;
        var reason = decay < 1
            ? buffer.TryWrite(CultureInfo.InvariantCulture, $"{count:0.#} {what} (full at {saturation:0.#}), decayed to {decay:0%} after {days:0.#} days", out n)
                ? Reasons.Get(buffer[..n])
                : string.Create(CultureInfo.InvariantCulture, $"{count:0.#} {what} (full at {saturation:0.#}), decayed to {decay:0%} after {days:0.#} days")
            : buffer.TryWrite(CultureInfo.InvariantCulture, $"{count:0.#} {what} (full at {saturation:0.#})", out n)
                ? Reasons.Get(buffer[..n])
                : string.Create(CultureInfo.InvariantCulture, $"{count:0.#} {what} (full at {saturation:0.#})");
        if (memo)
        {
            signal.Reasons.Add(key, reason);
        }

        return (decay < 1 ? raw * decay : raw, reason);
    }

    private static bool HasAnyWord(ReadOnlySpan<char> text, params ReadOnlySpan<string> words)
    {
        foreach (var word in words)
        {
            if (HasWord(text, word))
            {
                return true;
            }
        }

        return false;
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

    /// <summary>
    /// Whether a number of days certainly formats as <c>0</c> with <c>0.#</c>. Formatting first rounds to 15 significant
    /// digits, so values just under 0.05 print <c>0.1</c>; below 0.0499 every double prints <c>0</c>. Leads scored as they
    /// stream through are seconds old, and this spares formatting a double for nearly every one of them.
    /// </summary>
    internal static bool RoundsToZeroDays(double days) => days is >= 0 and < 0.0499;
}
