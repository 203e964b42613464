namespace Aicmo.Sdk.AspNetCore.Campaigns.Internal;

/// <summary>The body of a campaign create (<c>id</c> optional) or replace (<c>id</c> must be absent or match).</summary>
internal sealed record CampaignRequest
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public string? TargetNiche { get; init; }

    public string? ServiceKey { get; init; }

    public int? TargetClients { get; init; }

    public decimal? TargetMonthlyRevenue { get; init; }

    public bool? Active { get; init; }

    public CampaignSettingsDto? Settings { get; init; }
}
