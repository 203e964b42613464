namespace Aicmo.Sdk.Domain;

/// <summary>The verdict of qualification.</summary>
public enum QualificationVerdict
{
    /// <summary>The lead goes on to routing.</summary>
    Qualified,

    /// <summary>The lead is rejected.</summary>
    Disqualified,

    /// <summary>A person has to decide.</summary>
    ManualReview,
}
