using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage.Sql;

/// <summary>
/// The JSON document the SQL stores keep a campaign's descriptive fields and settings in (schema version 4). Id, name, creation
/// time and version are columns; everything else is in the document, so a new campaign field needs no migration.
/// </summary>
/// <remarks>Compiled into each SQL store package (linked source), so both write the same document shape.</remarks>
internal static class CampaignJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(Campaign campaign) => JsonSerializer.Serialize(
        new CampaignDocument(
            campaign.Description, campaign.TargetNiche, campaign.ServiceKey, campaign.TargetClients, campaign.TargetMonthlyRevenue,
            campaign.Active, campaign.ArchivedAt, campaign.UpdatedAt, campaign.Settings),
        Options);

    /// <summary>Fills the document's fields into a campaign read from its columns; a row written before version 4 has none.</summary>
    public static Campaign Apply(Campaign campaign, string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return campaign;
        }

        var d = JsonSerializer.Deserialize<CampaignDocument>(json, Options)
            ?? throw new InvalidOperationException($"Campaign '{campaign.Id}' has an empty document.");
        return campaign with
        {
            Description = d.Description,
            TargetNiche = d.TargetNiche,
            ServiceKey = d.ServiceKey,
            TargetClients = d.TargetClients,
            TargetMonthlyRevenue = d.TargetMonthlyRevenue,
            Active = d.Active,
            ArchivedAt = d.ArchivedAt,
            UpdatedAt = d.UpdatedAt,
            Settings = d.Settings,
        };
    }

    private sealed record CampaignDocument(
        string? Description,
        string? TargetNiche,
        string? ServiceKey,
        int? TargetClients,
        decimal? TargetMonthlyRevenue,
        bool Active,
        DateTimeOffset? ArchivedAt,
        DateTimeOffset? UpdatedAt,
        CampaignSettings? Settings);
}
