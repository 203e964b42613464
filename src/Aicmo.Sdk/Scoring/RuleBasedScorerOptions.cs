namespace Aicmo.Sdk.Scoring;

/// <summary>
/// Options of <see cref="RuleBasedScorer"/>: signal weights, the share of each named score in the combined score, targets,
/// intent decay and grade cut-offs. Every property is settable and every collection bindable from <c>IConfiguration</c>.
/// </summary>
public sealed class RuleBasedScorerOptions
{
    /// <summary>
    /// Gets or sets the weight of each signal (see <see cref="ScoringSignals"/> and <see cref="AttributeRules"/>). A weight of 0
    /// turns a signal off; a negative weight makes it a penalty. Signals not listed keep their default weight.
    /// </summary>
    /// <value>By default every built-in signal with the weight in <see cref="ScoringSignals.DefaultWeights"/>.</value>
    public IDictionary<string, double> Weights { get; set; } = new Dictionary<string, double>(ScoringSignals.DefaultWeights, StringComparer.Ordinal);

    /// <summary>Gets or sets the share of each named score (see <see cref="ScoreNames"/>) in the combined score; shares are normalized.</summary>
    /// <value>By default <c>fit</c> 0.75 and <c>intent</c> 0.25, so a lead that matches the profile perfectly but shows no intent yet grades A.</value>
    public IDictionary<string, double> ScoreWeights { get; set; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        [ScoreNames.Fit] = 0.75,
        [ScoreNames.Intent] = 0.25,
    };

    /// <summary>Gets or sets the industries the campaign targets (case-insensitive). Empty means every industry scores half.</summary>
    public ISet<string> TargetIndustries { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the country codes the campaign targets (case-insensitive). Empty means every country scores half.</summary>
    public ISet<string> TargetCountries { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the regions the campaign targets: <c>NA</c>, <c>LATAM</c>, <c>EMEA</c>, <c>APAC</c>. Empty means every region scores half.</summary>
    public ISet<string> TargetRegions { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets the job functions the campaign targets: <c>executive</c>, <c>sales</c>, <c>marketing</c>, <c>engineering</c>,
    /// <c>product</c>, <c>finance</c>, <c>operations</c>, <c>it</c>, <c>hr</c>. Empty means every function scores half.
    /// </summary>
    public ISet<string> TargetFunctions { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the smallest company size (employees) in the ideal customer profile.</summary>
    /// <value>The default value is 50.</value>
    public int IdealCompanySizeMin { get; set; } = 50;

    /// <summary>Gets or sets the largest company size (employees) in the ideal customer profile.</summary>
    /// <value>The default value is 10,000.</value>
    public int IdealCompanySizeMax { get; set; } = 10_000;

    /// <summary>Gets or sets the smallest annual revenue (US dollars) in the ideal customer profile.</summary>
    /// <value>The default value is 5,000,000.</value>
    public decimal IdealRevenueMin { get; set; } = 5_000_000m;

    /// <summary>Gets or sets the largest annual revenue (US dollars) in the ideal customer profile.</summary>
    /// <value>The default value is 1,000,000,000.</value>
    public decimal IdealRevenueMax { get; set; } = 1_000_000_000m;

    /// <summary>Gets or sets the quality of each lead source in [0, 1], by source name (case-insensitive). Unlisted sources score 0.5.</summary>
    public IDictionary<string, double> SourceQuality { get; set; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets how many of each intent event make its signal full (for example 10 visits), by attribute name
    /// (see <see cref="IntentAttributes"/>). Unlisted attributes use the defaults in <see cref="IntentAttributes.DefaultSaturation"/>.
    /// </summary>
    public IDictionary<string, double> IntentSaturation { get; set; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets the half-life of intent: an intent signal observed this long ago counts half. The observation time is the
    /// lead's <see cref="IntentAttributes.LastActivityAt"/> attribute, or else when the lead was created.
    /// <see cref="TimeSpan.Zero"/> turns decay off.
    /// </summary>
    /// <value>The default value is 14 days.</value>
    public TimeSpan IntentHalfLife { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Gets or sets the half-life of the <see cref="ScoringSignals.Freshness"/> signal (age of the lead record).</summary>
    /// <value>The default value is 30 days.</value>
    public TimeSpan FreshnessHalfLife { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Gets or sets rules on custom attributes; each is a signal of its own, named by <see cref="AttributeRule.Signal"/>.</summary>
    public IList<AttributeRule> AttributeRules { get; set; } = [];

    /// <summary>Gets or sets the lowest score graded A.</summary>
    /// <value>The default value is 0.75.</value>
    public double GradeA { get; set; } = 0.75;

    /// <summary>Gets or sets the lowest score graded B.</summary>
    /// <value>The default value is 0.5.</value>
    public double GradeB { get; set; } = 0.5;

    /// <summary>Gets or sets the lowest score graded C; anything lower is D.</summary>
    /// <value>The default value is 0.25.</value>
    public double GradeC { get; set; } = 0.25;

    /// <summary>Returns the grade of a score.</summary>
    /// <param name="score">A score in [0, 1].</param>
    /// <returns>A, B, C or D.</returns>
    public string GradeOf(double score) => score >= GradeA ? "A" : score >= GradeB ? "B" : score >= GradeC ? "C" : "D";

    /// <summary>Validates the options; every failure names the option.</summary>
    /// <param name="prefix">The path of these options, for example <c>AicmoPipelineOptions.Scoring</c>.</param>
    /// <returns>The failures; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate(string prefix = nameof(RuleBasedScorerOptions))
    {
        var failures = new List<string>();
        if (Weights is null || ScoreWeights is null || AttributeRules is null || SourceQuality is null || IntentSaturation is null ||
            TargetIndustries is null || TargetCountries is null || TargetRegions is null || TargetFunctions is null)
        {
            failures.Add($"{prefix}: collections cannot be null.");
            return failures;
        }

        foreach (var (signal, weight) in Weights)
        {
            if (!double.IsFinite(weight))
            {
                failures.Add($"{prefix}.Weights[\"{signal}\"] must be a finite number (was {weight}).");
            }
            else if (!ScoringSignals.DefaultWeights.ContainsKey(signal) && !AttributeRules.Any(r => r?.Signal == signal))
            {
                failures.Add($"{prefix}.Weights[\"{signal}\"] names no built-in signal and no attribute rule.");
            }
        }

        if (!Weights.Values.Any(w => w > 0) && !AttributeRules.Any(r => r is { Weight: > 0 }))
        {
            failures.Add($"{prefix}.Weights must give at least one signal a weight above 0.");
        }

        foreach (var (score, share) in ScoreWeights)
        {
            if (!double.IsFinite(share) || share < 0)
            {
                failures.Add($"{prefix}.ScoreWeights[\"{score}\"] must be a finite number of 0 or more (was {share}).");
            }
        }

        if (!ScoreWeights.Values.Any(s => s > 0))
        {
            failures.Add($"{prefix}.ScoreWeights must give at least one named score a share above 0.");
        }

        foreach (var (source, quality) in SourceQuality)
        {
            if (!(quality is >= 0 and <= 1))
            {
                failures.Add($"{prefix}.SourceQuality[\"{source}\"] must be between 0 and 1 (was {quality}).");
            }
        }

        foreach (var (attribute, saturation) in IntentSaturation)
        {
            if (!double.IsFinite(saturation) || saturation <= 0)
            {
                failures.Add($"{prefix}.IntentSaturation[\"{attribute}\"] must be greater than 0 (was {saturation}).");
            }
        }

        if (IntentHalfLife < TimeSpan.Zero)
        {
            failures.Add($"{prefix}.IntentHalfLife cannot be negative (was {IntentHalfLife}).");
        }

        if (FreshnessHalfLife <= TimeSpan.Zero)
        {
            failures.Add($"{prefix}.FreshnessHalfLife must be greater than 0 (was {FreshnessHalfLife}).");
        }

        if (IdealCompanySizeMin < 1 || IdealCompanySizeMax < IdealCompanySizeMin)
        {
            failures.Add($"{prefix}.IdealCompanySizeMin and IdealCompanySizeMax must satisfy 1 <= min <= max (were {IdealCompanySizeMin}, {IdealCompanySizeMax}).");
        }

        if (IdealRevenueMin < 0 || IdealRevenueMax < IdealRevenueMin)
        {
            failures.Add($"{prefix}.IdealRevenueMin and IdealRevenueMax must satisfy 0 <= min <= max (were {IdealRevenueMin}, {IdealRevenueMax}).");
        }

        for (var i = 0; i < AttributeRules.Count; i++)
        {
            var rule = AttributeRules[i];
            var path = $"{prefix}.AttributeRules[{i}]";
            if (rule is null)
            {
                failures.Add($"{path} cannot be null.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(rule.Attribute))
            {
                failures.Add($"{path}.Attribute must be set.");
            }

            if (string.IsNullOrWhiteSpace(rule.Signal))
            {
                failures.Add($"{path}.Signal must be set.");
            }
            else if (ScoringSignals.DefaultWeights.ContainsKey(rule.Signal))
            {
                failures.Add($"{path}.Signal '{rule.Signal}' is the name of a built-in signal.");
            }

            if (!double.IsFinite(rule.Weight))
            {
                failures.Add($"{path}.Weight must be a finite number (was {rule.Weight}).");
            }

            if (!ScoreWeights.ContainsKey(rule.Score ?? string.Empty))
            {
                failures.Add($"{path}.Score must name a score of ScoreWeights (was '{rule.Score}').");
            }

            if (rule.Min is { } min && rule.Max is { } max && max < min)
            {
                failures.Add($"{path}.Max must not be below Min ({max} < {min}).");
            }
        }

        if (AttributeRules.Where(r => r?.Signal is not null).GroupBy(r => r.Signal, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            failures.Add($"{prefix}.AttributeRules: signal names must be unique.");
        }

        if (!(GradeA <= 1 && GradeA > GradeB && GradeB > GradeC && GradeC > 0))
        {
            failures.Add($"{prefix}: grade cut-offs must satisfy 1 >= GradeA > GradeB > GradeC > 0 (were {GradeA}, {GradeB}, {GradeC}).");
        }

        return failures;
    }
}
