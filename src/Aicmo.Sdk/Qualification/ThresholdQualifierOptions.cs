namespace Aicmo.Sdk.Qualification;

/// <summary>
/// Options of <see cref="ThresholdQualifier"/>: which rules run in which order, the email policies, exclusion lists and the score
/// and intent thresholds. Every property is settable and every collection bindable from <c>IConfiguration</c>.
/// </summary>
public sealed class ThresholdQualifierOptions
{
    /// <summary>Gets or sets the score a lead needs to qualify.</summary>
    /// <value>The default value is 0.45. Must be in [0, 1].</value>
    public double MinScore { get; set; } = 0.45;

    /// <summary>Gets or sets the half-width of the band around <see cref="MinScore"/> that goes to manual review.</summary>
    /// <value>The default value is 0.05. Must be in [0, 0.5].</value>
    public double ManualReviewBand { get; set; } = 0.05;

    /// <summary>Gets or sets whether a lead needs a valid email address to qualify.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RequireValidEmail { get; set; } = true;

    // The boolean shorthands come before the policies they stand for: configuration binding visits properties in declaration
    // order and writes every one back, so a policy read from configuration must be bound after its shorthand. Writing
    // false only lifts a Disqualify policy, so it never erases a ManualReview one.

    /// <summary>Gets or sets whether free-mail addresses are disqualified (shorthand for <see cref="FreeMail"/>).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RejectFreeMail
    {
        get => FreeMail == RuleAction.Disqualify;
        set => FreeMail = value ? RuleAction.Disqualify : FreeMail == RuleAction.Disqualify ? RuleAction.Allow : FreeMail;
    }

    /// <summary>Gets or sets whether role accounts are disqualified (shorthand for <see cref="RoleAccounts"/>).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RejectRoleAccounts
    {
        get => RoleAccounts == RuleAction.Disqualify;
        set => RoleAccounts = value ? RuleAction.Disqualify : RoleAccounts == RuleAction.Disqualify ? RuleAction.Allow : RoleAccounts;
    }

    /// <summary>Gets or sets what happens to free-mail addresses (gmail.com and the like).</summary>
    /// <value>The default value is <see cref="RuleAction.Allow"/>.</value>
    public RuleAction FreeMail { get; set; } = RuleAction.Allow;

    /// <summary>Gets or sets what happens to role accounts (info@, sales@).</summary>
    /// <value>The default value is <see cref="RuleAction.Disqualify"/>.</value>
    public RuleAction RoleAccounts { get; set; } = RuleAction.Disqualify;

    /// <summary>Gets or sets what happens to disposable (throw-away) domains: the shipped list plus <see cref="AdditionalDisposableDomains"/>.</summary>
    /// <value>The default value is <see cref="RuleAction.Disqualify"/>.</value>
    public RuleAction DisposableDomains { get; set; } = RuleAction.Disqualify;

    /// <summary>Gets or sets domains treated as disposable besides the shipped list (subdomains included).</summary>
    public ISet<string> AdditionalDisposableDomains { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets the fields a lead must have (see <see cref="QualificationFields"/>); a missing one disqualifies.
    /// </summary>
    public IList<string> RequiredFields { get; set; } = [];

    /// <summary>Gets or sets competitor domains (email or company domain, subdomains included); matching leads are disqualified.</summary>
    public ISet<string> CompetitorDomains { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the domains of existing customers; matching leads are disqualified (they belong to account management).</summary>
    public ISet<string> CustomerDomains { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets country codes the campaign must not reach; matching leads are disqualified.</summary>
    public ISet<string> ExcludedCountries { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets individual addresses to exclude (case-insensitive); matching leads are disqualified.</summary>
    public ISet<string> ExcludedEmails { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the lowest <c>intent</c> score a lead needs, or <see langword="null"/> to ignore intent.</summary>
    public double? MinIntentScore { get; set; }

    /// <summary>Gets or sets what happens to a lead below <see cref="MinIntentScore"/>.</summary>
    /// <value>The default value is <see cref="RuleAction.ManualReview"/>.</value>
    public RuleAction LowIntent { get; set; } = RuleAction.ManualReview;

    /// <summary>Gets or sets the longest a text field may be; a longer one is hostile input.</summary>
    /// <value>The default value is 256.</value>
    public int MaxFieldLength { get; set; } = 256;

    /// <summary>Gets or sets the longest an attribute value may be; a longer one is hostile input.</summary>
    /// <value>The default value is 2048.</value>
    public int MaxAttributeLength { get; set; } = 2048;

    /// <summary>
    /// Gets or sets the rules to run, in order (see <see cref="QualificationRules"/>). Empty runs every rule in the order of
    /// <see cref="QualificationRules.DefaultOrder"/>. Every rule that fires adds its reason; the strictest action decides.
    /// </summary>
    public IList<string> Rules { get; set; } = [];

    /// <summary>Validates the options; every failure names the option.</summary>
    /// <param name="prefix">The path of these options, for example <c>AicmoPipelineOptions.Qualification</c>.</param>
    /// <returns>The failures; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate(string prefix = nameof(ThresholdQualifierOptions))
    {
        var failures = new List<string>();
        if (!(MinScore is >= 0 and <= 1))
        {
            failures.Add($"{prefix}.{nameof(MinScore)} must be between 0 and 1 (was {MinScore}).");
        }

        if (!(ManualReviewBand is >= 0 and <= 0.5))
        {
            failures.Add($"{prefix}.{nameof(ManualReviewBand)} must be between 0 and 0.5 (was {ManualReviewBand}).");
        }

        if (MinIntentScore is { } intent && !(intent is >= 0 and <= 1))
        {
            failures.Add($"{prefix}.{nameof(MinIntentScore)} must be between 0 and 1 (was {intent}).");
        }

        if (MaxFieldLength is < 1 or > 100_000)
        {
            failures.Add($"{prefix}.{nameof(MaxFieldLength)} must be between 1 and 100000 (was {MaxFieldLength}).");
        }

        if (MaxAttributeLength is < 1 or > 1_000_000)
        {
            failures.Add($"{prefix}.{nameof(MaxAttributeLength)} must be between 1 and 1000000 (was {MaxAttributeLength}).");
        }

        foreach (var (name, action) in new[] { (nameof(FreeMail), FreeMail), (nameof(RoleAccounts), RoleAccounts), (nameof(DisposableDomains), DisposableDomains), (nameof(LowIntent), LowIntent) })
        {
            if (!Enum.IsDefined(action))
            {
                failures.Add($"{prefix}.{name} must be Allow, ManualReview or Disqualify (was {action}).");
            }
        }

        for (var i = 0; i < (RequiredFields?.Count ?? 0); i++)
        {
            if (!QualificationFields.All.Contains(RequiredFields![i] ?? string.Empty, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{prefix}.{nameof(RequiredFields)}[{i}] '{RequiredFields[i]}' is not a field; use one of {string.Join(", ", QualificationFields.All)}.");
            }
        }

        for (var i = 0; i < (Rules?.Count ?? 0); i++)
        {
            if (!QualificationRules.DefaultOrder.Contains(Rules![i] ?? string.Empty, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{prefix}.{nameof(Rules)}[{i}] '{Rules[i]}' is not a rule; use one of {string.Join(", ", QualificationRules.DefaultOrder)}.");
            }
        }

        if (Rules is { Count: > 0 } && Rules.Distinct(StringComparer.OrdinalIgnoreCase).Count() != Rules.Count)
        {
            failures.Add($"{prefix}.{nameof(Rules)} lists a rule twice.");
        }

        return failures;
    }
}
