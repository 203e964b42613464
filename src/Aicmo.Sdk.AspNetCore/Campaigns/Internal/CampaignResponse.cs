using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.AspNetCore.Campaigns.Internal;

/// <summary>A campaign on the wire.</summary>
internal sealed record CampaignResponse(
    string Id,
    string? Name,
    string? Description,
    string? TargetNiche,
    string? ServiceKey,
    int? TargetClients,
    decimal? TargetMonthlyRevenue,
    bool Active,
    bool Archived,
    DateTimeOffset CreatedAt,
    DateTimeOffset? UpdatedAt,
    DateTimeOffset? ArchivedAt,
    long Version,
    CampaignSettingsDto Settings)
{
    public static CampaignResponse From(Campaign c) => new(
        c.Id, c.Name, c.Description, c.TargetNiche, c.ServiceKey, c.TargetClients, c.TargetMonthlyRevenue, c.Active, c.ArchivedAt is not null,
        c.CreatedAt, c.UpdatedAt, c.ArchivedAt, c.Version,
        new CampaignSettingsDto { MaxLeadsPerRun = c.Settings?.MaxLeadsPerRun, Sources = c.Settings?.Sources ?? [], Sequence = c.Settings?.Sequence });

    public static string ETag(Campaign c) => "\"" + c.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"";
}
