namespace Aicmo.Sdk.AspNetCore.Campaigns.Internal;

/// <summary>A campaign's pipeline settings on the wire.</summary>
internal sealed record CampaignSettingsDto
{
    public long? MaxLeadsPerRun { get; init; }

    public IReadOnlyList<string>? Sources { get; init; }

    public string? Sequence { get; init; }
}
