namespace Aicmo.Sdk.Domain;

/// <summary>How the pipeline runs for a campaign, unless a run overrides it.</summary>
public sealed record CampaignSettings
{
    /// <summary>Gets the most candidates a run takes, or <see langword="null"/> for all the sources yield.</summary>
    public long? MaxLeadsPerRun { get; init; }

    /// <summary>Gets the names of the lead sources to use; empty for every registered source.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Gets the nurture sequence to use, or <see langword="null"/> for the router's choice.</summary>
    public string? Sequence { get; init; }
}
