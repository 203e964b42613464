using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Tests.Pipeline;

public class DedupTests
{
    [Fact]
    public async Task RunAsync_SameLeadYieldedTwice_IsOneLeadAndOneDuplicate()
    {
        var lead = TestPipeline.GoodCandidate(1);
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", [lead, TestPipeline.GoodCandidate(1)]));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "twice" });

        Assert.Equal(2, result.Harvested);
        Assert.Equal(1, result.Duplicates);
        Assert.Equal(1, result.Contacted);
        Assert.Equal(1, t.Sender.Count);
        Assert.Equal(1, await t.Leads.CountAsync("twice"));
        TestPipeline.AssertBalanced(result);
    }

    [Fact]
    public async Task RunAsync_AuditAppendFailsAfterDuplicatesWereFound_EachCandidateIsCountedOnce()
    {
        // One batch: four people, each yielded twice. The new leads and their creation events are one write, and the audit log
        // refuses its part of it (an in-memory repository writing into another audit log decides the leads first, then appends):
        // the write fails, so no candidate of the batch is decided, and each is counted once, as pending.
        var candidates = Enumerable.Range(0, 4).SelectMany(i => new[] { TestPipeline.GoodCandidate(i), TestPipeline.GoodCandidate(i) }).ToList();
        await using var t = TestPipeline.Create(
            new InMemoryLeadSource("crm", candidates),
            o =>
            {
                o.BatchSize = 8;
                o.StageParallelism[StageNames.Dedup] = 1;
            },
            b => b.Services.AddSingleton<IAuditLog>(new FailingAuditLog()));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "audit-down" });

        Assert.Equal(PipelineRunStatus.Failed, result.Status);
        Assert.Equal(8, result.Harvested);
        Assert.Equal(0, result.Duplicates);
        Assert.Equal(8, result.Pending);
        Assert.True(result.IsBalanced);
    }

    private sealed class FailingAuditLog : IAuditLog
    {
        public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
            throw new IOException("The audit disk is full.");

        public ValueTask AppendManyAsync(ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken = default) =>
            throw new IOException("The audit disk is full.");

        public ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(Guid leadId, CancellationToken cancellationToken = default) =>
            new(Array.Empty<AuditEvent>());
    }

    [Fact]
    public async Task RunAsync_CaseAndWhitespaceVariants_AreDuplicates()
    {
        static LeadCandidate With(string email) => new() { FirstName = "Ada", LastName = "L", Email = email, Title = "CTO", CompanySize = 500 };
        var variants = new[] { "ada@acme-corp.com", "ADA@ACME-CORP.COM", "  Ada@Acme-Corp.com\t", "\u00a0ada@acme-corp.com " };
        var noEmail = new[]
        {
            new LeadCandidate { FirstName = "Grace", LastName = "Hopper", CompanyDomain = "navy.mil" },
            new LeadCandidate { FirstName = " GRACE ", LastName = "hopper", CompanyDomain = "https://www.NAVY.mil/" },
        };
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", variants.Select(With).Concat(noEmail)));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "variants" });

        Assert.Equal(6, result.Harvested);
        Assert.Equal(4, result.Duplicates);
        Assert.Equal(2, await t.Leads.CountAsync("variants"));
        Assert.NotNull(await t.Leads.FindByIdentityAsync("variants", "e:ada@acme-corp.com"));
        Assert.NotNull(await t.Leads.FindByIdentityAsync("variants", "n:navy.mil|grace hopper"));
        TestPipeline.AssertBalanced(result);
    }

    [Fact]
    public async Task RunAsync_SameLeadsFromConcurrentSources_EachPersonStoredAndMailedOnce()
    {
        // Four sources yield the same 250 people at once, with many dedup workers racing.
        var sources = Enumerable.Range(0, 4).Select(s => new InMemoryLeadSource(
            "source-" + s,
            Enumerable.Range(0, 250).Select(i =>
            {
                var c = TestPipeline.GoodCandidate(i);
                c.Email = s % 2 == 0 ? c.Email : " " + c.Email!.ToUpperInvariant();
                return c;
            })));
        await using var t = TestPipeline.Create(sources, o =>
        {
            o.StageParallelism["dedup"] = 8;
            o.ChannelCapacity = 8;
        });

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "race" });

        Assert.Equal(1000, result.Harvested);
        Assert.Equal(750, result.Duplicates);
        Assert.Equal(250, result.Contacted);
        Assert.Equal(250, await t.Leads.CountAsync("race"));
        Assert.Equal(250, t.Sender.Count);
        Assert.Empty(t.Sender.DuplicateKeys);
        TestPipeline.AssertBalanced(result);
    }

    [Fact]
    public async Task RunAsync_SamePersonInTwoCampaigns_IsALeadInEach()
    {
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", [TestPipeline.GoodCandidate(1)]));

        var a = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "a" });
        var b = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "b" });

        Assert.Equal(0, a.Duplicates);
        Assert.Equal(0, b.Duplicates);
        Assert.NotEqual(
            (await t.Leads.FindByIdentityAsync("a", "e:ada1@acme-corp.com"))!.Id,
            (await t.Leads.FindByIdentityAsync("b", "e:ada1@acme-corp.com"))!.Id);
    }

    [Fact]
    public async Task InMemoryLeadRepository_ConcurrentInsertsOfOneIdentity_ExactlyOneWins()
    {
        var repository = new InMemoryLeadRepository();
        var wins = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
            await repository.TryAddAsync(new Lead { Id = Guid.NewGuid(), CampaignId = "c", IdentityKey = "e:x@y.co", Version = 1 }))));

        Assert.Equal(1, wins.Count(w => w));
        Assert.Equal(1, await repository.CountAsync("c"));
    }

    [Fact]
    public async Task InMemoryLeadRepository_UpdateWithStaleVersion_IsRejected()
    {
        var repository = new InMemoryLeadRepository();
        var lead = new Lead { Id = Guid.NewGuid(), CampaignId = "c", IdentityKey = "e:x@y.co", Version = 1 };
        await repository.TryAddAsync(lead);

        lead.TransitionTo(LeadStatus.Scored, DateTimeOffset.UnixEpoch);
        Assert.True(await repository.UpdateAsync(lead, expectedVersion: 1));
        lead.TransitionTo(LeadStatus.Qualified, DateTimeOffset.UnixEpoch);
        Assert.False(await repository.UpdateAsync(lead, expectedVersion: 1));
        Assert.Equal(LeadStatus.Scored, (await repository.GetAsync(lead.Id))!.Status);
    }
}
