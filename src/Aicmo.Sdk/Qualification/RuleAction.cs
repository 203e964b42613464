namespace Aicmo.Sdk.Qualification;

/// <summary>What a qualification rule does with a lead it matches.</summary>
public enum RuleAction
{
    /// <summary>Nothing: the rule is informational only.</summary>
    Allow,

    /// <summary>A person has to decide.</summary>
    ManualReview,

    /// <summary>The lead is rejected.</summary>
    Disqualify,
}
