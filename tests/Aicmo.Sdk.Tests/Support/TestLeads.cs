using System.Globalization;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Tests.Support;

/// <summary>Builds leads for engine tests: by hand, or generated from the synthetic source with random intent attributes.</summary>
internal static class TestLeads
{
    public static readonly DateTimeOffset Now = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    public static Lead Create(Action<Lead>? configure = null)
    {
        var lead = new Lead
        {
            Id = Guid.NewGuid(),
            CampaignId = "test",
            IdentityKey = "e:ada.lovelace@analytical.io",
            Source = "web",
            FirstName = "Ada",
            LastName = "Lovelace",
            Email = "ada.lovelace@analytical.io",
            Title = "VP of Engineering",
            Phone = "+1 415 555 0100",
            TimeZone = "America/New_York",
            CompanyName = "Analytical Engines",
            CompanyDomain = "analytical.io",
            Industry = "Software",
            CompanySize = 500,
            Country = "US",
            AnnualRevenue = 50_000_000m,
            Status = LeadStatus.New,
            CreatedAt = Now,
            UpdatedAt = Now,
            Version = 1,
        };
        configure?.Invoke(lead);
        return lead;
    }

    public static IEnumerable<Lead> Generate(int count, int seed)
    {
        var random = new Random(seed);
        foreach (var c in SyntheticLeadSource.Generate(count, seed))
        {
            var lead = new Lead
            {
                Id = Guid.NewGuid(),
                CampaignId = "test",
                IdentityKey = LeadIdentity.ComputeKey(c.Email, c.CompanyDomain, c.FirstName, c.LastName) ?? "x:" + Guid.NewGuid().ToString("N"),
                Source = random.Next(3) switch { 0 => "web", 1 => "csv", _ => "partner" },
                FirstName = c.FirstName,
                LastName = c.LastName,
                Email = c.Email?.Trim(),
                Title = c.Title,
                Phone = c.Phone,
                TimeZone = c.TimeZone,
                CompanyName = c.CompanyName,
                CompanyDomain = LeadIdentity.NormalizeDomain(c.CompanyDomain),
                Industry = c.Industry,
                CompanySize = c.CompanySize,
                Country = c.Country,
                AnnualRevenue = c.AnnualRevenue,
                CreatedAt = Now.AddDays(-random.Next(0, 120)),
                Version = 1,
            };
            if (random.NextDouble() < 0.6)
            {
                lead.Attributes["visits"] = random.Next(0, 60).ToString(CultureInfo.InvariantCulture);
                lead.Attributes["downloads"] = random.Next(0, 6).ToString(CultureInfo.InvariantCulture);
                lead.Attributes["replies"] = random.Next(0, 3).ToString(CultureInfo.InvariantCulture);
                lead.Attributes["demoRequests"] = random.Next(0, 2).ToString(CultureInfo.InvariantCulture);
                lead.Attributes["pricingVisits"] = random.Next(0, 8).ToString(CultureInfo.InvariantCulture);
                lead.Attributes["lastActivityAt"] = Now.AddHours(-random.Next(0, 24 * 90)).ToString("O", CultureInfo.InvariantCulture);
                if (random.NextDouble() < 0.3)
                {
                    lead.Attributes["plan"] = random.Next(2) == 0 ? "enterprise" : "free";
                }
            }

            yield return lead;
        }
    }

    public static StageContext Context(TimeProvider? time = null, bool dryRun = false, string stage = StageNames.Score) =>
        new(Guid.NewGuid(), "test", stage, time ?? new FakeTimeProvider(Now), dryRun);
}
