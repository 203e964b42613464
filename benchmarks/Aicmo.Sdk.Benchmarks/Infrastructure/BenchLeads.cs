using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aicmo.Sdk.Benchmarks.Infrastructure;

public static class BenchLeads
{
    /// <summary>Builds a lead from a candidate the way dedup does (used where a benchmark needs leads without running dedup).</summary>
    public static Lead ToLead(LeadCandidate c, string campaignId = "bench")
    {
        var now = DateTimeOffset.UtcNow;
        var id = Guid.CreateVersion7(now);
        var lead = new Lead
        {
            Id = id,
            CampaignId = campaignId,
            IdentityKey = LeadIdentity.ComputeKey(c.Email, c.CompanyDomain, c.FirstName, c.LastName) ?? "x:" + id.ToString("N"),
            Source = "bench",
            ExternalId = c.ExternalId,
            FirstName = c.FirstName?.Trim(),
            LastName = c.LastName?.Trim(),
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
            Status = LeadStatus.New,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        if (c.Attributes is { } attributes)
        {
            foreach (var pair in attributes)
            {
                lead.Attributes[pair.Key] = pair.Value;
            }
        }

        return lead;
    }
}

/// <summary>The stores a hand-built runner runs against, kept so a benchmark can check them afterwards.</summary>
public sealed record RunnerStores(ILeadRepository Leads, IAuditLog Audit)
{
    public static RunnerStores Create(StoreKind kind) => kind switch
    {
        StoreKind.InMemory => InMemory(new InMemoryAuditLog()),
        StoreKind.NonRetaining => new RunnerStores(new IdentityOnlyLeadRepository(), new CountingAuditLog()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown store."),
    };

    // The repository writes each lead's events into the audit log it is given, in the same write as the lead.
    private static RunnerStores InMemory(InMemoryAuditLog audit) => new(new InMemoryLeadRepository(audit), audit);
}

/// <summary>Builds our runner over an explicit stage list, without the container (internal API, visible to this assembly).</summary>
public static class RunnerFactory
{
    public static ILeadPipeline Create(ILeadSource source, IReadOnlyList<ILeadStage> stages, AicmoPipelineOptions options, RunnerStores stores)
    {
        var runtime = PipelineRuntime.Create(
            options,
            [source],
            stages,
            stores.Leads,
            new InMemoryCampaignRepository(),
            new InMemoryRunRepository(),
            stores.Audit,
            TimeProvider.System,
            NullLogger.Instance);
        return new LeadPipeline(runtime);
    }
}
