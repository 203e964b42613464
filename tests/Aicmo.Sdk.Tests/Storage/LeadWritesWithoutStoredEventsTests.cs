using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Tests.Support;

namespace Aicmo.Sdk.Tests.Storage;

/// <summary>
/// <see cref="LeadWrites"/> on a lead store that cannot store audit events with its leads: the leads are written first, then the
/// events of the leads written go to the audit log, and never the events of a duplicate or of a refused compare-and-set.
/// </summary>
public sealed class LeadWritesWithoutStoredEventsTests
{
    private readonly InMemoryLeadRepository _inner = new();
    private readonly InMemoryAuditLog _audit = new();
    private readonly ILeadRepository _leads;

    public LeadWritesWithoutStoredEventsTests() => _leads = new RequiredMembersLeadRepository(_inner);

    [Fact]
    public async Task AddMany_WithADuplicate_AppendsTheEventsOfTheLeadsAddedOnly()
    {
        var existing = NewLead("b");
        Assert.True(await _inner.TryAddAsync(existing));
        var leads = new[] { NewLead("a"), NewLead("b"), NewLead("c") };
        var events = leads.SelectMany(l => new[] { Event(l, 1, "harvested"), Event(l, 2, "noted") }).ToArray();
        var added = new bool[leads.Length];

        await LeadWrites.AddManyAsync(_leads, _audit, leads, events, added, CancellationToken.None);

        Assert.Equal([true, false, true], added);
        Assert.Equal(["harvested", "noted"], (await _audit.ReadAsync(leads[0].Id)).Select(e => e.Reason));
        Assert.Empty(await _audit.ReadAsync(leads[1].Id));
        Assert.Equal(["harvested", "noted"], (await _audit.ReadAsync(leads[2].Id)).Select(e => e.Reason));
    }

    [Fact]
    public async Task AddMany_EveryLeadNew_AppendsEveryEventInOrder()
    {
        var leads = new[] { NewLead("a"), NewLead("b") };
        var events = new[] { Event(leads[0], 1, "first"), Event(leads[1], 1, "second"), Event(leads[0], 2, "third") };
        var added = new bool[leads.Length];

        await LeadWrites.AddManyAsync(_leads, _audit, leads, events, added, CancellationToken.None);

        Assert.Equal([true, true], added);
        Assert.Equal(["first", "third"], (await _audit.ReadAsync(leads[0].Id)).Select(e => e.Reason));
        Assert.Equal(["second"], (await _audit.ReadAsync(leads[1].Id)).Select(e => e.Reason));
    }

    [Fact]
    public async Task StoreMany_OneCompareAndSetRefused_AppendsTheEventsOfTheWrittenLeadsOnly()
    {
        var won = NewLead("a");
        var lost = NewLead("b");
        Assert.True(await _inner.TryAddAsync(won.Clone()));
        Assert.True(await _inner.TryAddAsync(lost.Clone()));

        // Another writer moved the second lead on first: this writer's compare-and-set on it expects a version no longer stored.
        var other = lost.Clone();
        other.TransitionTo(LeadStatus.Enriched, TestLeads.Now);
        Assert.True(await _inner.UpdateAsync(other, 0));
        foreach (var lead in new[] { won, lost })
        {
            lead.TransitionTo(LeadStatus.Enriched, TestLeads.Now);
            lead.UnstoredEvents = [Event(lead, 2, "enriched by this writer")];
        }

        var stored = new bool[2];
        await LeadWrites.StoreManyAsync(_leads, _audit, new[] { new LeadUpdate(won, 0), new LeadUpdate(lost, 0) }, stored, CancellationToken.None);

        Assert.Equal([true, false], stored);
        Assert.Equal(["enriched by this writer"], (await _audit.ReadAsync(won.Id)).Select(e => e.Reason));
        Assert.Empty(await _audit.ReadAsync(lost.Id));
        Assert.Empty(won.UnstoredEvents!);
        Assert.Empty(lost.UnstoredEvents!);
    }

    private static Lead NewLead(string name) => TestLeads.Create(l =>
    {
        l.Id = Guid.NewGuid();
        l.CampaignId = "writes";
        l.IdentityKey = $"e:{name}@acme-corp.com";
        l.Email = $"{name}@acme-corp.com";
        l.Status = LeadStatus.New;
        l.Version = 0;
    });

    private static AuditEvent Event(Lead lead, long sequence, string reason) =>
        new(lead.Id, lead.CampaignId, Guid.Empty, sequence, StageNames.Dedup, null, LeadStatus.New, reason, TestLeads.Now);
}
