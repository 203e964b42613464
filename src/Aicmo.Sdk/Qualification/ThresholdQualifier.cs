using System.Collections.Frozen;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Scoring;
using Aicmo.Sdk.Stages;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Qualification;

/// <summary>
/// The default qualifier: ordered rules (hostile input, required fields, strict email syntax, disposable domains, role
/// accounts, free mail, exclusion lists, intent, score with a manual-review band). Every rule that fires adds its reason,
/// in rule order; the strictest action decides (disqualify over manual review over qualify).
/// </summary>
public sealed class ThresholdQualifier : ILeadQualifier
{
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> RoleAccountLookup = EmailDomains.RoleAccounts.GetAlternateLookup<ReadOnlySpan<char>>();
    private readonly ThresholdQualifierOptions _options;
    private readonly Rule[] _rules;
    private readonly FrozenSet<string> _extraDisposable;
    private readonly FrozenSet<string> _competitors;
    private readonly FrozenSet<string> _customers;
    private readonly string _belowReason;
    private readonly string _aboveReason;
    private readonly string _bandReason;

    // The decisions whose only reason is the score rule's, made once from the options and shared by every lead they fit (a
    // decision is immutable), so a lead that only the score rule decides costs no allocation here. Measured in the full
    // pipeline: benchmarks/results/FullPipelineBenchmarks-house-before-after.md.
    private readonly QualificationDecision _qualifiedByScore;
    private readonly QualificationDecision _disqualifiedByScore;
    private readonly QualificationDecision _reviewByScore;
    private readonly (string Field, string Key, string Reason)[] _requiredFields;

    /// <summary>Initializes a new instance of the <see cref="ThresholdQualifier"/> class.</summary>
    /// <param name="options">The qualifier options, validated when the host starts.</param>
    public ThresholdQualifier(IOptions<ThresholdQualifierOptions> options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value, validate: false)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ThresholdQualifier"/> class.</summary>
    /// <param name="options">The qualifier options.</param>
    /// <exception cref="ArgumentException">The options are not valid; the message names every bad option.</exception>
    public ThresholdQualifier(ThresholdQualifierOptions options)
        : this(options, validate: true)
    {
    }

    // The options a host registers are validated on start, by their own validator; options handed in directly are validated here.
    private ThresholdQualifier(ThresholdQualifierOptions options, bool validate)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        IReadOnlyList<string> failures = validate ? options.Validate() : [];
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        // The rules as numbers: the loop over them runs for every lead, and switching on a name would compare strings.
        _rules = Array.ConvertAll(
            options.Rules is { Count: > 0 } rules
                ? rules.Select(r => QualificationRules.DefaultOrder.First(d => string.Equals(d, r, StringComparison.OrdinalIgnoreCase))).ToArray()
                : [.. QualificationRules.DefaultOrder],
            RuleOf);
        _extraDisposable = Normalize(options.AdditionalDisposableDomains);
        _competitors = Normalize(options.CompetitorDomains);
        _customers = Normalize(options.CustomerDomains);
        var low = Math.Max(0, options.MinScore - options.ManualReviewBand);
        var high = Math.Min(1, options.MinScore + options.ManualReviewBand);
        _belowReason = string.Create(CultureInfo.InvariantCulture, $"score below {low:0.00}");
        _aboveReason = string.Create(CultureInfo.InvariantCulture, $"score at or above {high:0.00}");
        _bandReason = string.Create(CultureInfo.InvariantCulture, $"score within the review band [{low:0.00}, {high:0.00})");
        _qualifiedByScore = new QualificationDecision(QualificationVerdict.Qualified, Evaluation.One(_aboveReason));
        _disqualifiedByScore = new QualificationDecision(QualificationVerdict.Disqualified, Evaluation.One(_belowReason));
        _reviewByScore = new QualificationDecision(QualificationVerdict.ManualReview, Evaluation.One(_bandReason));
        _requiredFields = (options.RequiredFields ?? []).Select(f => (f, f.ToLowerInvariant(), $"required field {f} is missing")).ToArray();
    }

    /// <inheritdoc />
    public ValueTask<QualificationDecision> QualifyAsync(Lead lead, StageContext context, CancellationToken cancellationToken) =>
        new(Qualify(lead));

    /// <summary>Qualifies a lead synchronously.</summary>
    /// <param name="lead">The lead, with a score.</param>
    /// <returns>The decision, with every reason that fired.</returns>
    public QualificationDecision Qualify(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var score = lead.Score ?? throw new InvalidOperationException("The lead has no score; qualification runs after scoring.");
        var state = default(Evaluation);
        var email = lead.Email;
        var validEmail = email is not null && EmailAddress.IsValid(email) && IsClean(email);
        var emailDomain = validEmail ? EmailAddress.DomainOf(email) : default;

        // The domain as a string only when a reason or an exclusion list needs it.
        string? domain = null;

        foreach (var rule in _rules)
        {
            switch (rule)
            {
                case Rule.HostileInput:
                    CheckHostileInput(lead, ref state);
                    break;
                case Rule.RequiredFields:
                    foreach (var (field, key, reason) in _requiredFields)
                    {
                        if (IsMissing(lead, key))
                        {
                            state.Add(RuleAction.Disqualify, reason);
                        }
                    }

                    break;
                case Rule.EmailSyntax:
                    if (!validEmail && (_options.RequireValidEmail || email is not null))
                    {
                        state.Add(_options.RequireValidEmail ? RuleAction.Disqualify : RuleAction.ManualReview,
                            email is null ? "no email address" : "malformed email address");
                    }

                    break;
                case Rule.DisposableDomain:
                    if (validEmail && (EmailDomainFacts.IsDisposable(emailDomain) || EmailDomains.ContainsDomainOrParent(_extraDisposable, emailDomain)))
                    {
                        domain ??= emailDomain.ToString();
                        state.Add(_options.DisposableDomains, $"disposable email domain {domain}");
                    }

                    break;
                case Rule.RoleAccount:
                    if (validEmail && RoleAccountLookup.Contains(EmailAddress.LocalPartOf(email)))
                    {
                        state.Add(_options.RoleAccounts, "role account address");
                    }

                    break;
                case Rule.FreeMail:
                    if (validEmail && EmailDomainFacts.IsFreeMail(emailDomain))
                    {
                        state.Add(_options.FreeMail, "free-mail address");
                    }

                    break;
                case Rule.Exclusions:
                    if (validEmail && (_competitors.Count > 0 || _customers.Count > 0))
                    {
                        domain ??= emailDomain.ToString();
                    }

                    CheckExclusions(lead, domain, ref state);
                    break;
                case Rule.Intent:
                    if (_options.MinIntentScore is { } minIntent)
                    {
                        var intent = score.Scores.TryGetValue(ScoreNames.Intent, out var i) ? i : 0;
                        if (intent < minIntent)
                        {
                            state.Add(_options.LowIntent, string.Create(CultureInfo.InvariantCulture, $"intent {intent:0.00} below {minIntent:0.00}"));
                        }
                    }

                    break;
                case Rule.Score:
                    CheckScore(score.Value, ref state);
                    break;
            }
        }

        return state.Decide(this);
    }

    private void CheckScore(double value, ref Evaluation state)
    {
        var low = _options.MinScore - _options.ManualReviewBand;
        var high = _options.MinScore + _options.ManualReviewBand;
        if (value >= high)
        {
            state.Pass(_aboveReason);
        }
        else if (value < low)
        {
            state.Add(RuleAction.Disqualify, _belowReason);
        }
        else
        {
            state.Add(RuleAction.ManualReview, _bandReason);
        }
    }

    private void CheckExclusions(Lead lead, string? emailDomain, ref Evaluation state)
    {
        var companyDomain = lead.CompanyDomain;
        if (Matches(_competitors, emailDomain, companyDomain) is { } competitor)
        {
            state.Add(RuleAction.Disqualify, $"competitor domain {competitor}");
        }

        if (Matches(_customers, emailDomain, companyDomain) is { } customer)
        {
            state.Add(RuleAction.Disqualify, $"existing customer {customer}");
        }

        if (lead.Country is { } country && _options.ExcludedCountries.Contains(country.Trim()))
        {
            state.Add(RuleAction.Disqualify, $"excluded country {country.Trim().ToUpperInvariant()}");
        }

        if (_options.ExcludedEmails.Count > 0 && LeadIdentity.NormalizeEmail(lead.Email) is { } normalized && _options.ExcludedEmails.Contains(normalized))
        {
            state.Add(RuleAction.Disqualify, "excluded address");
        }

        static string? Matches(FrozenSet<string> set, string? a, string? b) =>
            set.Count == 0 ? null
            : a is not null && EmailDomains.ContainsDomainOrParent(set, a) ? a
            : b is not null && EmailDomains.ContainsDomainOrParent(set, b) ? b
            : null;
    }

    private void CheckHostileInput(Lead lead, ref Evaluation state)
    {
        var max = _options.MaxFieldLength;
        Check(ref state, "firstName", lead.FirstName, max);
        Check(ref state, "lastName", lead.LastName, max);
        Check(ref state, "email", lead.Email, max);
        Check(ref state, "title", lead.Title, max);
        Check(ref state, "phone", lead.Phone, max);
        Check(ref state, "timeZone", lead.TimeZone, max);
        Check(ref state, "companyName", lead.CompanyName, max);
        Check(ref state, "companyDomain", lead.CompanyDomain, max);
        Check(ref state, "industry", lead.Industry, max);
        Check(ref state, "country", lead.Country, max);
        if (lead.HasAttributes)
        {
            // The lead's own dictionary, enumerated without boxing its enumerator.
            foreach (var (key, value) in lead.AttributeMap!)
            {
                if (HostileReason(key, _options.MaxFieldLength) is { } keyProblem)
                {
                    state.Add(RuleAction.Disqualify, $"hostile input: an attribute name {keyProblem}");
                }
                else if (HostileReason(value, _options.MaxAttributeLength) is { } valueProblem)
                {
                    state.Add(RuleAction.Disqualify, $"hostile input: attribute {key} {valueProblem}");
                }
            }
        }

        static void Check(ref Evaluation state, string field, string? value, int maxLength)
        {
            if (HostileReason(value, maxLength) is { } problem)
            {
                state.Add(RuleAction.Disqualify, $"hostile input: {field} {problem}");
            }
        }
    }

    /// <summary>Returns why a value is hostile (control characters, over-long, invalid or non-normalized Unicode), or null when it is clean.</summary>
    internal static string? HostileReason(string? value, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"is longer than {maxLength} characters ({value.Length})");
        }

        // Printable ASCII (the usual case) holds no control, formatting or surrogate character and is already NFC.
        if (!value.AsSpan().ContainsAnyExceptInRange(' ', '~'))
        {
            return null;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '\r' or '\n' or '\0')
            {
                return "contains CR, LF or NUL";
            }

            if (char.IsControl(c))
            {
                return string.Create(CultureInfo.InvariantCulture, $"contains the control character U+{(int)c:X4}");
            }

            // Bidirectional overrides and isolates reorder what a reader sees; the byte-order mark hides in text.
            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\uFEFF' or '\u200E' or '\u200F')
            {
                return string.Create(CultureInfo.InvariantCulture, $"contains the invisible formatting character U+{(int)c:X4}");
            }

            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                return "contains an unpaired surrogate (invalid Unicode)";
            }
        }

        // ASCII text is always in NFC; only text with other characters needs the (slower) normalization check.
        return Ascii.IsValid(value) || value.IsNormalized(NormalizationForm.FormC) ? null : "is not Unicode-normalized (NFC)";
    }

    private static bool IsClean(string value) => HostileReason(value, int.MaxValue) is null;

    private static bool IsMissing(Lead lead, string field) => field switch
    {
        "email" => string.IsNullOrWhiteSpace(lead.Email),
        "firstname" => string.IsNullOrWhiteSpace(lead.FirstName),
        "lastname" => string.IsNullOrWhiteSpace(lead.LastName),
        "title" => string.IsNullOrWhiteSpace(lead.Title),
        "phone" => string.IsNullOrWhiteSpace(lead.Phone),
        "companyname" => string.IsNullOrWhiteSpace(lead.CompanyName),
        "companydomain" => string.IsNullOrWhiteSpace(lead.CompanyDomain),
        "industry" => string.IsNullOrWhiteSpace(lead.Industry),
        "companysize" => lead.CompanySize is null or <= 0,
        "country" => string.IsNullOrWhiteSpace(lead.Country),
        "timezone" => string.IsNullOrWhiteSpace(lead.TimeZone),
        _ => false,
    };

    private static FrozenSet<string> Normalize(IEnumerable<string>? domains) =>
        (domains ?? []).Select(LeadIdentity.NormalizeDomain).OfType<string>().ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>What the rules found for one lead: the strictest action and the reasons in rule order.</summary>
    private struct Evaluation
    {
        private static readonly IReadOnlyList<string> EveryRulePassed = One(AllPassed);

        // The first reason is kept on its own: a list is made only when a second reason fires.
        private string? _first;
        private List<string>? _reasons;
        private string? _firstPass;
        private List<string>? _passes;
        private RuleAction _worst;

        public void Add(RuleAction action, string reason)
        {
            if (action == RuleAction.Allow)
            {
                return;
            }

            Append(ref _first, ref _reasons, reason);
            if (action > _worst)
            {
                _worst = action;
            }
        }

        public void Pass(string reason) => Append(ref _firstPass, ref _passes, reason);

        public readonly QualificationDecision Decide(ThresholdQualifier qualifier) => _worst switch
        {
            RuleAction.Disqualify when _reasons is null && ReferenceEquals(_first, qualifier._belowReason) => qualifier._disqualifiedByScore,
            RuleAction.ManualReview when _reasons is null && ReferenceEquals(_first, qualifier._bandReason) => qualifier._reviewByScore,
            RuleAction.Disqualify => new QualificationDecision(QualificationVerdict.Disqualified, Reasons(_first!, _reasons)),
            RuleAction.ManualReview => new QualificationDecision(QualificationVerdict.ManualReview, Reasons(_first!, _reasons)),
            _ when _passes is null && ReferenceEquals(_firstPass, qualifier._aboveReason) => qualifier._qualifiedByScore,
            _ => new QualificationDecision(QualificationVerdict.Qualified, _firstPass is null ? EveryRulePassed : Reasons(_firstPass, _passes)),
        };

        public static IReadOnlyList<string> One(string reason) => new ReadOnlyCollection<string>([reason]);

        private static IReadOnlyList<string> Reasons(string first, List<string>? all) => all is null ? One(first) : all.AsReadOnly();

        private static void Append(ref string? first, ref List<string>? all, string reason)
        {
            if (first is null)
            {
                first = reason;
            }
            else
            {
                (all ??= new List<string>(4) { first }).Add(reason);
            }
        }
    }

    private enum Rule
    {
        HostileInput,
        RequiredFields,
        EmailSyntax,
        DisposableDomain,
        RoleAccount,
        FreeMail,
        Exclusions,
        Intent,
        Score,
    }

    private static Rule RuleOf(string name) => name switch
    {
        QualificationRules.HostileInput => Rule.HostileInput,
        QualificationRules.RequiredFields => Rule.RequiredFields,
        QualificationRules.EmailSyntax => Rule.EmailSyntax,
        QualificationRules.DisposableDomain => Rule.DisposableDomain,
        QualificationRules.RoleAccount => Rule.RoleAccount,
        QualificationRules.FreeMail => Rule.FreeMail,
        QualificationRules.Exclusions => Rule.Exclusions,
        QualificationRules.Intent => Rule.Intent,
        QualificationRules.Score => Rule.Score,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a qualification rule."),
    };

    private const string AllPassed = "every qualification rule passed";
}
