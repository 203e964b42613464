using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.AspNetCore.Leads.Internal;

/// <summary>A lead in a list: who, where it stands, its score.</summary>
internal sealed record LeadSummaryResponse(
    Guid Id, string CampaignId, string Status, string? Email, string? Name, string? Company, double? Score, string? Grade,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static LeadSummaryResponse From(Lead l) => new(
        l.Id, l.CampaignId, l.Status.ToString(), l.Email, FullName(l), l.CompanyName, l.Score?.Value, l.Score?.Grade, l.CreatedAt, l.UpdatedAt);

    public static string? FullName(Lead l) =>
        l.FirstName is null && l.LastName is null ? null : string.Join(' ', new[] { l.FirstName, l.LastName }.Where(n => !string.IsNullOrEmpty(n)));
}
