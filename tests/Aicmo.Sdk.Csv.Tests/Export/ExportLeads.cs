using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Csv.Tests.Export;

/// <summary>Leads in the states an export meets.</summary>
internal static class ExportLeads
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

    public static Lead Routed()
    {
        var lead = new Lead
        {
            Id = Guid.Parse("11111111-2222-3333-4444-555555555555"),
            CampaignId = "spring",
            Source = "csv:crm.csv",
            ExternalId = "crm-17",
            FirstName = "Ada",
            LastName = "Lovelace",
            Email = "ada@analytical.example",
            Title = "CTO",
            Phone = "+442071234567",
            TimeZone = "Europe/London",
            CompanyName = "Analytical Engines, Ltd",
            CompanyDomain = "analytical.example",
            Industry = "Software",
            CompanySize = 120,
            Country = "GB",
            AnnualRevenue = 12_500_000.5m,
            Status = LeadStatus.Routed,
            Score = new LeadScore(82, "A", [new ScoreComponent("fit", 1, 1, 50, "ICP match"), new ScoreComponent("intent", 1, 1, 32, "visited pricing")]),
            Qualification = new QualificationDecision(QualificationVerdict.Qualified, ["score 82 >= 60", "has email"]),
            Routing = new RoutingDecision("emea", "ae-emea", "enterprise", "region", "country GB"),
            CreatedAt = At,
            UpdatedAt = At.AddMinutes(1),
        };
        lead.Attributes["intent"] = "high";
        lead.Provenance["companyDomain"] = new FieldProvenance("clearbit-like", At, 0.9);
        return lead;
    }

    public static Lead Quarantined() => new()
    {
        Id = Guid.Parse("99999999-2222-3333-4444-555555555555"),
        CampaignId = "spring",
        Source = "csv:crm.csv",
        Email = "broken@example.com",
        Status = LeadStatus.Quarantined,
        Fault = new LeadFault("enrich", "HttpRequestException", "multi\nline \"quoted\", with comma", 3),
        CreatedAt = At,
        UpdatedAt = At,
    };

    public static async IAsyncEnumerable<Lead> Many(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var lead = Routed();
            lead.Id = Guid.NewGuid();
            yield return lead;
        }

        await Task.CompletedTask;
    }
}
