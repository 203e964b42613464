using System.Globalization;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Csv.Export.Internal;

/// <summary>The fixed columns of the CSV export. Their headers are the ones <see cref="Import.CsvLeadSource"/> recognizes, so an export reads back in.</summary>
internal static class ExportColumns
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static IReadOnlyList<ExportColumn> All { get; } =
    [
        new("aicmo_id", static l => l.Id.ToString("D", Invariant), IsText: false),
        new("campaign_id", static l => l.CampaignId, IsText: true),
        new("source", static l => l.Source, IsText: true),
        new("external_id", static l => l.ExternalId, IsText: true),
        new("status", static l => l.Status.ToString(), IsText: false),
        new("first_name", static l => l.FirstName, IsText: true),
        new("last_name", static l => l.LastName, IsText: true),
        new("email", static l => l.Email, IsText: true),
        new("title", static l => l.Title, IsText: true),
        new("phone", static l => l.Phone, IsText: true),
        new("time_zone", static l => l.TimeZone, IsText: true),
        new("company_name", static l => l.CompanyName, IsText: true),
        new("company_domain", static l => l.CompanyDomain, IsText: true),
        new("industry", static l => l.Industry, IsText: true),
        new("company_size", static l => l.CompanySize?.ToString(Invariant), IsText: false),
        new("country", static l => l.Country, IsText: true),
        new("annual_revenue", static l => l.AnnualRevenue?.ToString(Invariant), IsText: false),
        new("score", static l => l.Score?.Value.ToString("0.###", Invariant), IsText: false),
        new("grade", static l => l.Score?.Grade, IsText: true),
        new("score_components", static l => l.Score is { Components.Count: > 0 } s ? string.Join("; ", s.Components.Select(c => c.Signal + " " + c.Contribution.ToString("+0.###;-0.###;0", Invariant))) : null, IsText: true),
        new("qualification", static l => l.Qualification?.Verdict.ToString(), IsText: false),
        new("qualification_reasons", static l => l.Qualification is { } q ? string.Join("; ", q.Reasons) : null, IsText: true),
        new("team", static l => l.Routing?.Team, IsText: true),
        new("owner", static l => l.Routing?.Owner, IsText: true),
        new("sequence", static l => l.Routing?.Sequence, IsText: true),
        new("routing_reason", static l => l.Routing?.Reason, IsText: true),
        new("fault", static l => l.Fault is { } f ? $"{f.Stage}: {f.ErrorType}: {f.Message}" : null, IsText: true),
        new("consent", static l => l.Consent.ToString(), IsText: false),
        new("created_at", static l => l.CreatedAt.ToString("O", Invariant), IsText: false),
        new("updated_at", static l => l.UpdatedAt.ToString("O", Invariant), IsText: false),
    ];
}
