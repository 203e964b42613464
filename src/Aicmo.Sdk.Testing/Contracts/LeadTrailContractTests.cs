using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Xunit;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>
/// The contract of a lead repository and its audit log together: a lead's change and the audit events of that change are one
/// atomic write (<see cref="ILeadRepository.UpdateManyWithEventsAsync"/>), so a trail never shows a change that was not stored;
/// a new lead and its creation event are one write too (<see cref="ILeadRepository.TryAddManyWithEventsAsync"/>).
/// Derive from it in the store's test assembly.
/// </summary>
/// <remarks>Every fact asks <see cref="CreateStoresAsync"/> for the stores and uses campaign ids of its own, so stores may share one database.</remarks>
public abstract class LeadTrailContractTests
{
    /// <summary>Gets how many writers the concurrency facts start at once.</summary>
    /// <value>The default value is 16.</value>
    protected virtual int Concurrency => 16;

    /// <summary>Creates the lead repository under test and the audit log it writes events into, ready to use.</summary>
    /// <returns>The stores.</returns>
    protected abstract Task<(ILeadRepository Leads, IAuditLog AuditLog)> CreateStoresAsync();

    /// <summary>Applied updates store their leads and every one of their events, in sequence order.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateManyWithEventsAsync_UpdatesApply_LeadsAndTheirEventsAreStoredTogether()
    {
        var (leads, audit) = await CreateStoresAsync();
        var campaign = ContractTestData.NewCampaignId();
        var a = await AddAsync(leads, audit, campaign);
        var b = await AddAsync(leads, audit, campaign);
        var eventsA = Advance(a, LeadStatus.Enriched, LeadStatus.Scored, LeadStatus.Qualified);
        var eventsB = Advance(b, LeadStatus.Enriched);
        var updated = new bool[2];

        await leads.UpdateManyWithEventsAsync(new[] { new LeadUpdate(a, 1), new LeadUpdate(b, 1) }, eventsB.Concat(eventsA).ToArray(), updated);

        Assert.Equal([true, true], updated);
        Assert.Equal(LeadStatus.Qualified, (await leads.GetAsync(a.Id))!.Status);
        Assert.Equal([1L, 2, 3, 4], (await audit.ReadAsync(a.Id)).Select(e => e.Sequence));
        Assert.Equal([LeadStatus.New, LeadStatus.Enriched, LeadStatus.Scored, LeadStatus.Qualified], (await audit.ReadAsync(a.Id)).Select(e => e.To));
        Assert.Equal([1L, 2], (await audit.ReadAsync(b.Id)).Select(e => e.Sequence));
    }

    /// <summary>An update whose compare-and-set loses stores none of its events; the other updates of the call store theirs.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateManyWithEventsAsync_OneCompareAndSetLoses_ItsEventsAreNotStored()
    {
        var (leads, audit) = await CreateStoresAsync();
        var campaign = ContractTestData.NewCampaignId();
        var stale = await AddAsync(leads, audit, campaign);
        var fresh = await AddAsync(leads, audit, campaign);

        // Another writer stores a newer version of one lead first.
        var other = stale.Clone();
        other.TransitionTo(LeadStatus.Quarantined, ContractTestData.At(5));
        Assert.True(await leads.UpdateAsync(other, 1));

        var staleEvents = Advance(stale, LeadStatus.Enriched, LeadStatus.Scored);
        var freshEvents = Advance(fresh, LeadStatus.Enriched, LeadStatus.Scored);
        var updated = new bool[2];
        await leads.UpdateManyWithEventsAsync(
            new[] { new LeadUpdate(stale, 1), new LeadUpdate(fresh, 1) }, staleEvents.Concat(freshEvents).ToArray(), updated);

        Assert.Equal([false, true], updated);
        Assert.Equal([1L], (await audit.ReadAsync(stale.Id)).Select(e => e.Sequence));
        Assert.Equal(LeadStatus.Quarantined, (await leads.GetAsync(stale.Id))!.Status);
        Assert.Equal([1L, 2, 3], (await audit.ReadAsync(fresh.Id)).Select(e => e.Sequence));
    }

    /// <summary>
    /// Writers racing on one lead, each with its own event for the same sequence: exactly one wins, and the trail holds the
    /// winner's event, never a loser's.
    /// </summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateWithEventsAsync_ConcurrentWritersOfOneLead_TheTrailHoldsOnlyTheWinnersEvent()
    {
        var (leads, audit) = await CreateStoresAsync();
        var lead = await AddAsync(leads, audit, ContractTestData.NewCampaignId());
        var writers = Enumerable.Range(0, Concurrency).ToList();

        var won = await Concurrently.RunAsync(writers, async writer =>
        {
            var copy = lead.Clone();
            copy.TransitionTo(LeadStatus.Enriched, ContractTestData.At(writer));
            var auditEvent = new AuditEvent(copy.Id, copy.CampaignId, copy.RunId, copy.Version, "race", LeadStatus.New, copy.Status, "writer " + writer, copy.UpdatedAt);
            return await leads.UpdateWithEventsAsync(copy, 1, new[] { auditEvent });
        });

        var winner = Assert.Single(writers, w => won[w]);
        var trail = await audit.ReadAsync(lead.Id);
        Assert.Equal([1L, 2], trail.Select(e => e.Sequence));
        Assert.Equal("writer " + winner, trail[1].Reason);
        Assert.Equal(ContractTestData.At(winner), (await leads.GetAsync(lead.Id))!.UpdatedAt);
    }

    /// <summary>Single writes of many leads at once (grouped by stores that batch concurrent calls) each store their own lead and events.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateWithEventsAsync_ManyLeadsAtOnce_EachLeadIsStoredWithItsOwnEvents()
    {
        var (leads, audit) = await CreateStoresAsync();
        var campaign = ContractTestData.NewCampaignId();
        var all = new List<Lead>();
        for (var i = 0; i < Concurrency * 4; i++)
        {
            all.Add(await AddAsync(leads, audit, campaign));
        }

        var stored = await Concurrently.RunAsync(all, async lead =>
        {
            var events = Advance(lead, LeadStatus.Enriched, LeadStatus.Scored);
            return await leads.UpdateWithEventsAsync(lead, 1, events);
        });

        Assert.All(stored, Assert.True);
        foreach (var lead in all)
        {
            var trail = await audit.ReadAsync(lead.Id);
            Assert.Equal([1L, 2, 3], trail.Select(e => e.Sequence));
            Assert.All(trail, e => Assert.Equal(lead.Id, e.LeadId));
            Assert.Equal(LeadStatus.Scored, (await leads.GetAsync(lead.Id))!.Status);
        }
    }

    /// <summary>A write that fails (here: it would change the lead's identity key) stores neither the lead's change nor its events.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateWithEventsAsync_WriteFails_NeitherTheLeadNorItsEventsAreStored()
    {
        var (leads, audit) = await CreateStoresAsync();
        var lead = await AddAsync(leads, audit, ContractTestData.NewCampaignId());
        var events = Advance(lead, LeadStatus.Enriched);
        lead.IdentityKey = "e:someone-else@example.com";

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await leads.UpdateWithEventsAsync(lead, 1, events));

        var stored = (await leads.GetAsync(lead.Id))!;
        Assert.Equal(1, stored.Version);
        Assert.Equal(LeadStatus.New, stored.Status);
        Assert.Equal([1L], (await audit.ReadAsync(lead.Id)).Select(e => e.Sequence));
    }

    /// <summary>An event that belongs to no lead of the call is refused before anything is written.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateManyWithEventsAsync_EventOfAnotherLead_ThrowsAndStoresNothing()
    {
        var (leads, audit) = await CreateStoresAsync();
        var campaign = ContractTestData.NewCampaignId();
        var lead = await AddAsync(leads, audit, campaign);
        var stranger = ContractTestData.NewLead(campaign);
        var events = Advance(lead, LeadStatus.Enriched);
        var strangerEvent = new AuditEvent(stranger.Id, campaign, stranger.RunId, 2, "test", LeadStatus.New, LeadStatus.Enriched, "not in the call", ContractTestData.At(1));

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await leads.UpdateManyWithEventsAsync(new[] { new LeadUpdate(lead, 1) }, events.Append(strangerEvent).ToArray(), new bool[1]));

        Assert.Equal(1, (await leads.GetAsync(lead.Id))!.Version);
        Assert.Equal([1L], (await audit.ReadAsync(lead.Id)).Select(e => e.Sequence));
        Assert.Empty(await audit.ReadAsync(stranger.Id));
    }

    /// <summary>
    /// Leads added with their creation events: each lead added is stored with its own events; a duplicate (of a stored lead or of
    /// one earlier in the batch) is not added and none of its events is stored.
    /// </summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddManyWithEventsAsync_NewAndDuplicateLeads_EachAddedLeadIsStoredWithItsEventsAndNoDuplicatesAre()
    {
        var (leads, audit) = await CreateStoresAsync();
        var campaign = ContractTestData.NewCampaignId();
        var existing = await AddAsync(leads, audit, campaign);
        var a = ContractTestData.NewLead(campaign);
        var b = ContractTestData.NewLead(campaign);
        var copyOfExisting = ContractTestData.NewLead(campaign, existing.IdentityKey);
        var copyOfA = ContractTestData.NewLead(campaign, a.IdentityKey);
        var batch = new[] { a, copyOfExisting, b, copyOfA };
        var events = batch.Select(Creation).ToArray();
        var added = new bool[batch.Length];

        await leads.TryAddManyWithEventsAsync(batch, events, added);

        Assert.Equal([true, false, true, false], added);
        foreach (var lead in new[] { a, b })
        {
            var trail = await audit.ReadAsync(lead.Id);
            var creation = Assert.Single(trail);
            Assert.Equal(1, creation.Sequence);
            Assert.Equal(LeadStatus.New, creation.To);
            Assert.Equal("harvested " + lead.Id, creation.Reason);
            Assert.Equal(LeadStatus.New, (await leads.GetAsync(lead.Id))!.Status);
        }

        Assert.Empty(await audit.ReadAsync(copyOfExisting.Id));
        Assert.Empty(await audit.ReadAsync(copyOfA.Id));
        Assert.Null(await leads.GetAsync(copyOfExisting.Id));
        Assert.Equal("harvested", Assert.Single(await audit.ReadAsync(existing.Id)).Reason);
    }

    /// <summary>
    /// A batch whose write fails (a lead's id is taken under another identity) throws, and leaves no lead without its events and
    /// no event without its lead.
    /// </summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddManyWithEventsAsync_WriteFails_NoLeadIsLeftWithoutItsEventsNorAnEventWithoutItsLead()
    {
        var (leads, audit) = await CreateStoresAsync();
        var campaign = ContractTestData.NewCampaignId();
        var existing = await AddAsync(leads, audit, campaign);
        var fresh = ContractTestData.NewLead(campaign);
        var clash = ContractTestData.NewLead(campaign, "e:" + Guid.NewGuid().ToString("N") + "@example.com");
        clash.Id = existing.Id;
        var batch = new[] { fresh, clash };

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await leads.TryAddManyWithEventsAsync(batch, batch.Select(Creation).ToArray(), new bool[2]));

        var freshStored = await leads.GetAsync(fresh.Id) is not null;
        var freshTrail = await audit.ReadAsync(fresh.Id);
        Assert.Equal(freshStored ? 1 : 0, freshTrail.Count);
        Assert.Null(await leads.FindByIdentityAsync(campaign, clash.IdentityKey));
        Assert.Equal("harvested", Assert.Single(await audit.ReadAsync(existing.Id)).Reason);
    }

    /// <summary>An event that belongs to none of the leads of the call is refused before anything is written.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddManyWithEventsAsync_EventOfAnotherLead_ThrowsAndStoresNothing()
    {
        var (leads, audit) = await CreateStoresAsync();
        var campaign = ContractTestData.NewCampaignId();
        var lead = ContractTestData.NewLead(campaign);
        var stranger = ContractTestData.NewLead(campaign);

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await leads.TryAddManyWithEventsAsync(new[] { lead }, new[] { Creation(lead), Creation(stranger) }, new bool[1]));

        Assert.Null(await leads.GetAsync(lead.Id));
        Assert.Empty(await audit.ReadAsync(lead.Id));
        Assert.Empty(await audit.ReadAsync(stranger.Id));
    }

    /// <summary>
    /// Batches racing to add the same people: each identity is stored once, and each stored lead's trail holds its own creation
    /// event and no other; the leads that lost hold none.
    /// </summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddManyWithEventsAsync_ConcurrentBatchesOfTheSamePeople_EachStoredLeadHoldsOnlyItsOwnCreation()
    {
        var (leads, audit) = await CreateStoresAsync();
        var campaign = ContractTestData.NewCampaignId();
        var keys = Enumerable.Range(0, 8).Select(i => "e:person" + i + "-" + Guid.NewGuid().ToString("N") + "@example.com").ToArray();
        var batches = Enumerable.Range(0, Concurrency).Select(_ => keys.Select(k => ContractTestData.NewLead(campaign, k)).ToArray()).ToList();

        var results = await Concurrently.RunAsync(batches, async batch =>
        {
            var added = new bool[batch.Length];
            await leads.TryAddManyWithEventsAsync(batch, batch.Select(Creation).ToArray(), added);
            return added;
        });

        for (var k = 0; k < keys.Length; k++)
        {
            var winners = Enumerable.Range(0, batches.Count).Where(b => results[b][k]).ToList();
            var winner = batches[Assert.Single(winners)][k];
            Assert.Equal(winner.Id, (await leads.FindByIdentityAsync(campaign, keys[k]))!.Id);
            Assert.Equal("harvested " + winner.Id, Assert.Single(await audit.ReadAsync(winner.Id)).Reason);
            foreach (var loser in batches.Select(b => b[k]).Where(l => l.Id != winner.Id))
            {
                Assert.Empty(await audit.ReadAsync(loser.Id));
            }
        }
    }

    private static AuditEvent Creation(Lead lead) =>
        new(lead.Id, lead.CampaignId, lead.RunId, 1, "dedup", null, LeadStatus.New, "harvested " + lead.Id, lead.CreatedAt);

    /// <summary>An erasure stores its record with the anonymized lead, and a lost erasure stores no record.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task EraseWithEventsAsync_RecordIsStoredOnlyWithTheErasure()
    {
        var (leads, audit) = await CreateStoresAsync();
        var lead = await AddAsync(leads, audit, ContractTestData.NewCampaignId());
        var anonymized = lead.Clone();
        anonymized.IdentityKey = "erased:" + Guid.NewGuid().ToString("N");
        anonymized.Email = null;
        anonymized.Version = 2;
        var record = new AuditEvent(lead.Id, lead.CampaignId, lead.RunId, 2, "erasure", LeadStatus.New, LeadStatus.New, "personal data erased", ContractTestData.At(2));

        Assert.False(await leads.EraseWithEventsAsync(anonymized, 7, new[] { record }));
        Assert.Equal([1L], (await audit.ReadAsync(lead.Id)).Select(e => e.Sequence));

        Assert.True(await leads.EraseWithEventsAsync(anonymized, 1, new[] { record }));
        Assert.Equal([1L, 2], (await audit.ReadAsync(lead.Id)).Select(e => e.Sequence));
        Assert.Null((await leads.GetAsync(lead.Id))!.Email);
    }

    /// <summary>
    /// Pruning deletes the events older than the cutoff of trails whose last event is in a closing state, and keeps every
    /// trail's last event, every event newer than the cutoff and every event of a trail still open.
    /// </summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task PruneAsync_OldEventsOfClosedTrails_AreDeletedAndEachTrailKeepsItsLastEvent()
    {
        var (_, audit) = await CreateStoresAsync();
        var campaign = ContractTestData.NewCampaignId();

        // Years before any other fact's events, so a prune of a shared database touches only these.
        var old = new DateTimeOffset(2009, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var cutoff = old.AddDays(30);
        Guid closed = Guid.NewGuid(), open = Guid.NewGuid(), recent = Guid.NewGuid(), single = Guid.NewGuid();
        await audit.AppendManyAsync(Trail(closed, campaign, old, LeadStatus.New, LeadStatus.Scored, LeadStatus.Routed, LeadStatus.Contacted, LeadStatus.Converted));
        await audit.AppendManyAsync(Trail(open, campaign, old, LeadStatus.New, LeadStatus.Scored, LeadStatus.Routed, LeadStatus.Contacted));
        var recentTrail = Trail(recent, campaign, old, LeadStatus.New, LeadStatus.Scored, LeadStatus.Disqualified);
        recentTrail[2] = recentTrail[2] with { Timestamp = cutoff.AddDays(1) };
        await audit.AppendManyAsync(recentTrail);
        await audit.AppendManyAsync(Trail(single, campaign, old, LeadStatus.Disqualified));

        var deleted = await audit.PruneAsync(cutoff, [LeadStatus.Disqualified, LeadStatus.Converted, LeadStatus.Unsubscribed]);

        Assert.Equal(6, deleted);
        Assert.Equal([5L], (await audit.ReadAsync(closed)).Select(e => e.Sequence));
        Assert.Equal([1L, 2, 3, 4], (await audit.ReadAsync(open)).Select(e => e.Sequence));
        Assert.Equal([3L], (await audit.ReadAsync(recent)).Select(e => e.Sequence));
        Assert.Equal([1L], (await audit.ReadAsync(single)).Select(e => e.Sequence));

        // A trail that moves on after a prune continues after its last event.
        await audit.AppendAsync(new AuditEvent(closed, campaign, Guid.Empty, 6, "test", LeadStatus.Converted, LeadStatus.Quarantined, "reopened", cutoff.AddDays(2)));
        Assert.Equal([5L, 6], (await audit.ReadAsync(closed)).Select(e => e.Sequence));
        Assert.Equal(0, await audit.PruneAsync(cutoff, [LeadStatus.Disqualified, LeadStatus.Converted]));
    }

    /// <summary>Builds a trail through <paramref name="states"/>, one event a day from <paramref name="start"/>.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="campaign">The campaign.</param>
    /// <param name="start">The first event's time.</param>
    /// <param name="states">The states, in order.</param>
    /// <returns>The events.</returns>
    protected static AuditEvent[] Trail(Guid leadId, string campaign, DateTimeOffset start, params LeadStatus[] states)
    {
        ArgumentNullException.ThrowIfNull(states);
        return [.. states.Select((to, i) => new AuditEvent(
            leadId, campaign, Guid.Empty, i + 1, "test", i == 0 ? null : states[i - 1], to, "step " + (i + 1), start.AddDays(i)))];
    }

    /// <summary>Adds a new lead with its creation event (sequence 1).</summary>
    /// <param name="leads">The lead repository.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="campaign">The campaign.</param>
    /// <returns>The lead, at version 1.</returns>
    protected static async Task<Lead> AddAsync(ILeadRepository leads, IAuditLog audit, string campaign)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(audit);
        var lead = ContractTestData.NewLead(campaign);
        Assert.True(await leads.TryAddAsync(lead));
        await audit.AppendAsync(new AuditEvent(lead.Id, campaign, lead.RunId, 1, "dedup", null, LeadStatus.New, "harvested", lead.CreatedAt));
        return lead;
    }

    /// <summary>Moves a lead through <paramref name="states"/> and returns the event of each move.</summary>
    /// <param name="lead">The lead, changed in place.</param>
    /// <param name="states">The states, in order.</param>
    /// <returns>The events.</returns>
    protected static AuditEvent[] Advance(Lead lead, params LeadStatus[] states)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(states);
        var events = new AuditEvent[states.Length];
        for (var i = 0; i < states.Length; i++)
        {
            var at = lead.UpdatedAt.AddSeconds(1);
            var from = lead.TransitionTo(states[i], at);
            events[i] = new AuditEvent(lead.Id, lead.CampaignId, lead.RunId, lead.Version, "test", from, lead.Status, "moved to " + states[i], at);
        }

        return events;
    }
}
