namespace Aicmo.Sdk.Domain;

/// <summary>A qualification decision with every reason that fired.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Reasons">The reasons, in the order the rules fired; never empty.</param>
public sealed record QualificationDecision(QualificationVerdict Verdict, IReadOnlyList<string> Reasons);
