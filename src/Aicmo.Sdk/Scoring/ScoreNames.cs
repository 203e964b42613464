namespace Aicmo.Sdk.Scoring;

/// <summary>The names of the scores <see cref="RuleBasedScorer"/> computes.</summary>
public static class ScoreNames
{
    /// <summary>How well the person and company match the ideal customer profile.</summary>
    public const string Fit = "fit";

    /// <summary>How much buying intent the person has shown recently.</summary>
    public const string Intent = "intent";
}
