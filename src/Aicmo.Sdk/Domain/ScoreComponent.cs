namespace Aicmo.Sdk.Domain;

/// <summary>One signal's part in a score.</summary>
/// <param name="Signal">The signal's name, for example <c>title.seniority</c>.</param>
/// <param name="Weight">The weight of the signal.</param>
/// <param name="RawValue">The signal's value in [0, 1] before weighting.</param>
/// <param name="Contribution">What the signal adds to the score.</param>
/// <param name="Reason">Why the signal has this value, in words a person can read.</param>
public sealed record ScoreComponent(string Signal, double Weight, double RawValue, double Contribution, string Reason)
{
    /// <summary>Gets the named score the component belongs to (for example <c>fit</c> or <c>intent</c>); empty when the scorer has one score.</summary>
    public string ScoreName { get; init; } = string.Empty;
}
