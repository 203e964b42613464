using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class LeadEraserTests
{
    [Fact]
    public async Task EraseLeadAsync_ContactedLead_RemovesPersonalDataEverywhereAndNeverMailsAgain()
    {
        var sender = new RecordingEmailSender();
        var source = new InMemoryLeadSource("crm", [new LeadCandidate
        {
            FirstName = "Ada", LastName = "Lovelace", Email = "Ada@Example.com", Title = "CTO", CompanyName = "Analytical Engines",
            CompanyDomain = "analytical.example", CompanySize = 500, Industry = "Software", Country = "GB",
        }]);
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o => o.DryRun = false).AddLeadSource(source).AddEmailSender(sender);
        await using var provider = services.BuildServiceProvider();
        var pipeline = provider.GetRequiredService<ILeadPipeline>();
        await pipeline.RunAsync(new PipelineRunRequest { CampaignId = "erase" });
        var leads = provider.GetRequiredService<ILeadRepository>();
        var lead = Assert.Single(await leads.QueryAsync(new LeadQuery { CampaignId = "erase" }));
        Assert.Equal(LeadStatus.Contacted, lead.Status);

        var result = await provider.GetRequiredService<LeadEraser>().EraseLeadAsync(lead.Id, "request #42");

        Assert.True(result.Found);
        Assert.Equal(EmailHash.Compute("ada@example.com"), result.SuppressedAs);
        var erased = await leads.GetAsync(lead.Id);
        Assert.Equal((null, null, null, null, (string?)null), (erased!.FirstName, erased.LastName, erased.Email, erased.Title, erased.Phone));
        Assert.False(erased.HasAttributes);
        Assert.StartsWith("erased:sha256:", erased.IdentityKey, StringComparison.Ordinal);
        Assert.Equal(LeadStatus.Contacted, erased.Status);
        Assert.Equal(lead.Version + 1, erased.Version);
        Assert.Null(await leads.FindByIdentityAsync("erase", lead.IdentityKey));

        var trail = await provider.GetRequiredService<IAuditLog>().ReadAsync(lead.Id);
        Assert.All(trail.SkipLast(1), e => Assert.Equal(LeadEraser.Redacted, e.Reason));
        Assert.Equal((LeadEraser.Stage, erased.Version, "personal data erased: request #42"), (trail[^1].Stage, trail[^1].Sequence, trail[^1].Reason));

        var entry = Assert.Single(await provider.GetRequiredService<IEmailOutbox>().ListAsync());
        Assert.Equal((LeadEraser.Redacted, OutboxStatus.Sent), (entry.To, entry.Status));
        Assert.Null(await provider.GetRequiredService<ISuppressionList>().GetAsync("ada@example.com"));

        // Harvested anew, in another campaign: stored again, but never mailed.
        var again = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = "erase-again" });
        Assert.Equal(1, again.Suppressed);
        Assert.Equal(1, sender.Count);
    }

    [Fact]
    public async Task EraseLeadAsync_NothingIsWrittenAfterTheSweep_TheRecordKeepsItsReason()
    {
        // The audit log refuses every write of its own: what an erasure would write after its final sweep never lands, as when
        // the process is killed right after the sweep. The lead's record was stored with the anonymized lead.
        var audit = new InMemoryAuditLog();
        var leads = new InMemoryLeadRepository(audit);
        var lead = new Lead
        {
            Id = Guid.NewGuid(), CampaignId = "erase-window", IdentityKey = "e:ada@example.com", Email = "ada@example.com", FirstName = "Ada",
            Status = LeadStatus.New, Version = 1, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
        };
        var creation = new AuditEvent(lead.Id, lead.CampaignId, lead.RunId, 1, "dedup", null, LeadStatus.New, "harvested ada@example.com", lead.CreatedAt);
        Assert.True(await leads.TryAddAsync(lead));
        await audit.AppendAsync(creation);
        var eraser = new LeadEraser(leads, new AppendRefusingAuditLog(audit), new InMemoryEmailOutbox(), new InMemorySuppressionList(), TimeProvider.System);

        var error = await Record.ExceptionAsync(() => eraser.EraseLeadAsync(lead.Id, "request #42"));

        var trail = await audit.ReadAsync(lead.Id);
        Assert.Equal([1L, 2], trail.Select(e => e.Sequence));
        Assert.Equal(LeadEraser.Redacted, trail[0].Reason);
        Assert.Equal((LeadEraser.Stage, "personal data erased: request #42"), (trail[1].Stage, trail[1].Reason));
        Assert.Null(error);
    }

    private sealed class AppendRefusingAuditLog(IAuditLog inner) : IAuditLog
    {
        public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
            throw new IOException("Killed before this write.");

        public ValueTask AppendManyAsync(ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken = default) =>
            throw new IOException("Killed before this write.");

        public ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(Guid leadId, CancellationToken cancellationToken = default) => inner.ReadAsync(leadId, cancellationToken);

        public ValueTask<int> RedactAsync(Guid leadId, string reason, CancellationToken cancellationToken = default) => inner.RedactAsync(leadId, reason, cancellationToken);
    }

    [Fact]
    public async Task EraseLeadAsync_UnknownLead_ReportsNotFound()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline();
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<LeadEraser>().EraseLeadAsync(Guid.NewGuid());

        Assert.False(result.Found);
    }
}
