using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Testing;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Storage.Tests;

/// <summary>
/// A new lead and its creation event are one write on a real store: with every audit write of its own failing (what a crash
/// between two writes amounts to), a run still stores no lead without its creation event, and every trail runs 1..version.
/// </summary>
public abstract class LeadCreationTestsBase
{
    /// <summary>Builds a pipeline on the store under test, with <paramref name="pipeline"/> adding sources and stages.</summary>
    protected abstract (IServiceProvider Services, IAsyncDisposable Owner) Open(Action<IAicmoPipelineBuilder> pipeline);

    [StoreFact]
    public async Task Run_EveryAuditWriteOfItsOwnFails_EveryStoredLeadHoldsItsCreationEvent()
    {
        // Forty people, every fifth yielded twice, and two that cannot be identified (stored disqualified).
        var candidates = Enumerable.Range(0, 40)
            .SelectMany(i => Enumerable.Repeat(Candidate(i), i % 5 == 0 ? 2 : 1))
            .Append(new LeadCandidate { ExternalId = "anon-1", Title = "Buyer" })
            .Append(new LeadCandidate { ExternalId = "anon-2", Title = "Buyer" })
            .ToList();
        var (services, owner) = Open(b =>
        {
            b.AddLeadSource(new InMemoryLeadSource("crm", candidates));
            RefuseSeparateAuditWrites(b.Services);
        });
        await using var _ = owner;

        var result = await services.GetRequiredService<ILeadPipeline>().RunAsync(new PipelineRunRequest { CampaignId = ContractTestData.NewCampaignId() });

        var leads = await services.GetRequiredService<ILeadRepository>().QueryAsync(new LeadQuery { CampaignId = result.CampaignId, Take = 1000 });
        Assert.Equal(42, leads.Count);
        var audit = services.GetRequiredService<IAuditLog>();
        foreach (var lead in leads)
        {
            var trail = await audit.ReadAsync(lead.Id);
            Assert.True(trail.Count > 0, $"lead {lead.Id} ({lead.Status}, version {lead.Version}) is stored without its creation event");
            Assert.Equal(StageNames.Dedup, trail[0].Stage);
            Assert.Equal(LeadStatus.New, trail[0].To);
            Assert.Null(trail[0].From);
            Assert.Equal(Enumerable.Range(1, (int)lead.Version).Select(v => (long)v), trail.Select(e => e.Sequence));
            Assert.Equal(lead.Status, trail[^1].To);
        }

        Assert.Equal(PipelineRunStatus.Completed, result.Status);
        Assert.Empty(result.Errors);
        Assert.Equal(8, result.Duplicates);
        Assert.True(result.IsBalanced);
    }

    private static LeadCandidate Candidate(int i) => new()
    {
        ExternalId = "ext-" + i,
        FirstName = "Ada" + i,
        LastName = "Lovelace",
        Email = $"ada{i}@acme-corp.com",
        Title = "VP of Engineering",
        CompanyName = "Acme Corp",
        CompanyDomain = "acme-corp.com",
        Industry = "Software",
        CompanySize = 1200,
        Country = "US",
    };

    /// <summary>
    /// Makes every write through the registered <see cref="IAuditLog"/> fail, while the store's own lead writes keep writing
    /// their events (the in-memory repository gets the audit log underneath, as it does without the decoration).
    /// </summary>
    private static void RefuseSeparateAuditWrites(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IAuditLog));
        services.Remove(registered);
        services.AddSingleton(sp => new UnderlyingAuditLog(Create(sp, registered)));
        services.AddSingleton<IAuditLog>(sp => new RefusingAuditLog(sp.GetRequiredService<UnderlyingAuditLog>().Log));
        if (services.LastOrDefault(d => d.ServiceType == typeof(ILeadRepository)) is { ImplementationType: { } type } repository && type == typeof(InMemoryLeadRepository))
        {
            services.Remove(repository);
            services.AddSingleton<ILeadRepository>(sp => new InMemoryLeadRepository(sp.GetRequiredService<UnderlyingAuditLog>().Log));
        }
    }

    private static IAuditLog Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        (IAuditLog)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    private sealed record UnderlyingAuditLog(IAuditLog Log);

    private sealed class RefusingAuditLog(IAuditLog inner) : IAuditLog
    {
        public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
            throw new IOException("The audit log refuses a write of its own.");

        public ValueTask AppendManyAsync(ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken = default) =>
            throw new IOException("The audit log refuses a write of its own.");

        public ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(Guid leadId, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(leadId, cancellationToken);

        public ValueTask<int> RedactAsync(Guid leadId, string reason, CancellationToken cancellationToken = default) =>
            inner.RedactAsync(leadId, reason, cancellationToken);

        public ValueTask<long> PruneAsync(DateTimeOffset olderThan, IReadOnlyCollection<LeadStatus> states, CancellationToken cancellationToken = default) =>
            inner.PruneAsync(olderThan, states, cancellationToken);
    }
}
