namespace Aicmo.Sdk.Scoring;

/// <summary>Options of <see cref="RuleBasedScorer"/>: signal weights, targets and grade cut-offs.</summary>
public sealed class RuleBasedScorerOptions
{
    /// <summary>Gets the weight of each signal (see <see cref="ScoringSignals"/>); a weight of 0 turns a signal off.</summary>
    /// <value>By default: valid email 1, business email 1, seniority 2, company size 1.5, industry 1, country 0.5, phone 0.5, completeness 1.</value>
    public IDictionary<string, double> Weights { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        [ScoringSignals.EmailValid] = 1.0,
        [ScoringSignals.EmailBusiness] = 1.0,
        [ScoringSignals.TitleSeniority] = 2.0,
        [ScoringSignals.CompanySize] = 1.5,
        [ScoringSignals.IndustryMatch] = 1.0,
        [ScoringSignals.CountryMatch] = 0.5,
        [ScoringSignals.PhonePresent] = 0.5,
        [ScoringSignals.Completeness] = 1.0,
    };

    /// <summary>Gets the industries the campaign targets (case-insensitive). Empty means every industry scores half.</summary>
    public ISet<string> TargetIndustries { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the country codes the campaign targets (case-insensitive). Empty means every country scores half.</summary>
    public ISet<string> TargetCountries { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

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
}

/// <summary>The names of the signals of <see cref="RuleBasedScorer"/>.</summary>
public static class ScoringSignals
{
    /// <summary>The email address is syntactically valid.</summary>
    public const string EmailValid = "email.valid";

    /// <summary>The email address is on a company domain, not free mail.</summary>
    public const string EmailBusiness = "email.business";

    /// <summary>How senior the title is.</summary>
    public const string TitleSeniority = "title.seniority";

    /// <summary>The company size band.</summary>
    public const string CompanySize = "company.size";

    /// <summary>The industry is a target industry.</summary>
    public const string IndustryMatch = "industry.match";

    /// <summary>The country is a target country.</summary>
    public const string CountryMatch = "country.match";

    /// <summary>A phone number is present.</summary>
    public const string PhonePresent = "phone.present";

    /// <summary>The share of profile fields that are filled in.</summary>
    public const string Completeness = "data.completeness";
}
