namespace Aicmo.Sdk.Qualification;

/// <summary>The field names <see cref="ThresholdQualifierOptions.RequiredFields"/> accepts.</summary>
public static class QualificationFields
{
    /// <summary>Gets every field name.</summary>
    public static IReadOnlyList<string> All { get; } =
        ["email", "firstName", "lastName", "title", "phone", "companyName", "companyDomain", "industry", "companySize", "country", "timeZone"];
}
