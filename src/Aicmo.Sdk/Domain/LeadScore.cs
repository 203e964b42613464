namespace Aicmo.Sdk.Domain;

/// <summary>A lead's score: a value in [0, 1], a grade and the components it is the sum of.</summary>
/// <param name="Value">The score in [0, 1].</param>
/// <param name="Grade">A letter grade (A best).</param>
/// <param name="Components">The components; their contributions add up to <see cref="Value"/> before clamping.</param>
public sealed record LeadScore(double Value, string Grade, IReadOnlyList<ScoreComponent> Components)
{
    private static readonly IReadOnlyDictionary<string, double> NoScores = new Dictionary<string, double>(0);

    /// <summary>
    /// Gets the named scores in [0, 1] (for example <c>fit</c> and <c>intent</c>). Each is the sum of its components'
    /// contributions divided by its share of the combined score, then clamped. Empty when the scorer has one score.
    /// </summary>
    public IReadOnlyDictionary<string, double> Scores { get; init; } = NoScores;
}
