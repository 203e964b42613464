using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Xunit;

namespace Aicmo.Sdk.Testing.Contracts;

// The contract's facts about listing, counting and paging leads, and the rest of its facts after them.
public abstract partial class LeadRepositoryContractTests
{
    /// <summary>Listing and counting by state see only leads in that state, of that campaign.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task QueryAsync_ByStatus_FiltersAndCounts()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var statuses = new[] { LeadStatus.New, LeadStatus.Enriched, LeadStatus.Enriched, LeadStatus.Quarantined, LeadStatus.Enriched };
        for (var i = 0; i < statuses.Length; i++)
        {
            var lead = ContractTestData.NewLead(campaign, createdAt: ContractTestData.At(i));
            lead.Status = statuses[i];
            Assert.True(await store.TryAddAsync(lead));
        }

        var other = ContractTestData.NewLead(ContractTestData.NewCampaignId("other"));
        other.Status = LeadStatus.Enriched;
        Assert.True(await store.TryAddAsync(other));

        var enriched = await store.QueryAsync(new LeadQuery { CampaignId = campaign, Status = LeadStatus.Enriched });
        Assert.Equal(3, enriched.Count);
        Assert.All(enriched, l => Assert.Equal(LeadStatus.Enriched, l.Status));
        Assert.Equal(enriched.OrderBy(l => l.CreatedAt).ThenBy(l => l.Id).Select(l => l.Id), enriched.Select(l => l.Id));
        Assert.Equal(3, await store.CountAsync(campaign, LeadStatus.Enriched));
        Assert.Equal(1, await store.CountAsync(campaign, LeadStatus.Quarantined));
        Assert.Equal(0, await store.CountAsync(campaign, LeadStatus.Converted));
        Assert.Equal(5, await store.CountAsync(campaign));
        Assert.Empty(await store.QueryAsync(new LeadQuery { CampaignId = campaign, Status = LeadStatus.Routed }));
        Assert.Equal(0, await store.CountAsync(ContractTestData.NewCampaignId("empty")));
    }

    /// <summary>A state change made by an update moves the lead between status filters.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task QueryAsync_AfterUpdate_SeesNewStatus()
    {
        var store = await CreateStoreAsync();
        var lead = ContractTestData.NewLead(ContractTestData.NewCampaignId());
        Assert.True(await store.TryAddAsync(lead));
        lead.TransitionTo(LeadStatus.Enriched, ContractTestData.At(1));
        Assert.True(await store.UpdateAsync(lead, 1));

        Assert.Equal(0, await store.CountAsync(lead.CampaignId, LeadStatus.New));
        Assert.Equal(1, await store.CountAsync(lead.CampaignId, LeadStatus.Enriched));
        Assert.Equal(lead.Id, Assert.Single(await store.QueryAsync(new LeadQuery { CampaignId = lead.CampaignId, Status = LeadStatus.Enriched })).Id);
    }

    /// <summary>The funnel counts a campaign's leads per state, or only those one run harvested.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task CountByStatusAsync_CampaignAndRun_CountsPerState()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var run = Guid.NewGuid();
        (LeadStatus Status, bool InRun)[] leads =
        [
            (LeadStatus.Contacted, true), (LeadStatus.Contacted, true), (LeadStatus.Disqualified, true), (LeadStatus.Contacted, false),
            (LeadStatus.Quarantined, false), (LeadStatus.New, true),
        ];
        foreach (var (status, inRun) in leads)
        {
            var lead = ContractTestData.NewLead(campaign);
            lead.Status = status;
            lead.RunId = inRun ? run : Guid.NewGuid();
            Assert.True(await store.TryAddAsync(lead));
        }

        var other = ContractTestData.NewLead(ContractTestData.NewCampaignId("other"));
        other.RunId = run;
        Assert.True(await store.TryAddAsync(other));

        var campaignFunnel = await store.CountByStatusAsync(campaign);
        var runFunnel = await store.CountByStatusAsync(campaign, run);

        Assert.Equal(
            new Dictionary<LeadStatus, long> { [LeadStatus.Contacted] = 3, [LeadStatus.Disqualified] = 1, [LeadStatus.Quarantined] = 1, [LeadStatus.New] = 1 },
            campaignFunnel.OrderBy(p => p.Key).ToDictionary());
        Assert.Equal(
            new Dictionary<LeadStatus, long> { [LeadStatus.Contacted] = 2, [LeadStatus.Disqualified] = 1, [LeadStatus.New] = 1 },
            runFunnel.OrderBy(p => p.Key).ToDictionary());
        Assert.Empty(await store.CountByStatusAsync(ContractTestData.NewCampaignId("empty")));
    }

    /// <summary>Erasure replaces the lead, identity key included: the old identity is free, the new one finds the lead.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task EraseAsync_ExpectedVersion_ReplacesLeadAndIdentity()
    {
        var store = await CreateStoreAsync();
        var lead = ContractTestData.FullLead(ContractTestData.NewCampaignId(), "Ada Lovelace");
        Assert.True(await store.TryAddAsync(lead));
        var anonymized = ContractTestData.NewLead(lead.CampaignId, "erased:sha256:0123");
        anonymized.Id = lead.Id;
        anonymized.FirstName = null;
        anonymized.Email = null;
        anonymized.Version = lead.Version + 1;

        Assert.False(await store.EraseAsync(anonymized, lead.Version - 1));
        Assert.True(await store.EraseAsync(anonymized, lead.Version));

        ContractAssert.LeadEqual(anonymized, await store.GetAsync(lead.Id));
        Assert.Null(await store.FindByIdentityAsync(lead.CampaignId, lead.IdentityKey));
        Assert.Equal(lead.Id, (await store.FindByIdentityAsync(lead.CampaignId, "erased:sha256:0123"))?.Id);
        Assert.True(await store.TryAddAsync(ContractTestData.NewLead(lead.CampaignId, lead.IdentityKey)), "the erased identity can be harvested anew");
        Assert.False(await store.EraseAsync(ContractTestData.NewLead(lead.CampaignId), 1));
    }

    /// <summary>
    /// A batch is deduplicated against the stored leads and within itself (an earlier lead in the batch counts as existing);
    /// identities are per campaign, and every added lead reads back unchanged.
    /// </summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddManyAsync_DuplicatesStoredAndWithinBatch_AddsEachIdentityOnce()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var other = ContractTestData.NewCampaignId("other");
        var stored = ContractTestData.NewLead(campaign, "e:stored@example.com");
        Assert.True(await store.TryAddAsync(stored));
        var first = ContractTestData.FullLead(campaign, ContractTestData.NonAscii);
        var againStored = ContractTestData.NewLead(campaign, "e:stored@example.com");
        var fresh = ContractTestData.NewLead(campaign, "e:fresh@example.com");
        var againFirst = ContractTestData.NewLead(campaign, first.IdentityKey);
        var otherCampaign = ContractTestData.NewLead(other, "e:stored@example.com");
        Lead[] batch = [first, againStored, fresh, againFirst, otherCampaign];
        var added = new bool[batch.Length];

        await store.TryAddManyAsync(batch, added);

        Assert.Equal([true, false, true, false, true], added);
        ContractAssert.LeadEqual(first, await store.GetAsync(first.Id));
        ContractAssert.LeadEqual(fresh, await store.FindByIdentityAsync(campaign, "e:fresh@example.com"));
        ContractAssert.LeadEqual(otherCampaign, await store.FindByIdentityAsync(other, "e:stored@example.com"));
        ContractAssert.LeadEqual(stored, await store.FindByIdentityAsync(campaign, "e:stored@example.com"));
        ContractAssert.LeadEqual(first, await store.FindByIdentityAsync(campaign, first.IdentityKey));
        Assert.Null(await store.GetAsync(againStored.Id));
        Assert.Null(await store.GetAsync(againFirst.Id));
        Assert.Equal(3, await store.CountAsync(campaign));
        Assert.Equal(1, await store.CountAsync(other));
    }

    /// <summary>A result buffer longer than the batch is written at the batch's indexes only.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddManyAsync_LongerResultBuffer_WritesOnlyBatchIndexes()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        Lead[] batch = [ContractTestData.NewLead(campaign), ContractTestData.NewLead(campaign)];
        var added = new bool[] { false, false, true };

        await store.TryAddManyAsync(batch, added.AsMemory(0, 2));

        Assert.Equal([true, true, true], added);
        Assert.Equal(2, await store.CountAsync(campaign));
    }

    /// <summary>Several batches adding overlapping identities at once: each identity is stored once, every other attempt is a duplicate.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddManyAsync_ConcurrentBatchesOverlappingIdentities_EachIdentityOnce()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        const int identities = 24;
        var batches = Enumerable.Range(0, Math.Max(2, Concurrency / 8))
            .Select(b => Enumerable.Range(0, 16).Select(i => ContractTestData.NewLead(campaign, $"e:person{(b * 5 + i) % identities}@example.com")).ToArray())
            .ToList();

        var results = await Concurrently.RunAsync(batches, async batch =>
        {
            var added = new bool[batch.Length];
            await store.TryAddManyAsync(batch, added);
            return added;
        });

        var distinct = batches.SelectMany(batch => batch).Select(l => l.IdentityKey).Distinct(StringComparer.Ordinal).Count();
        Assert.Equal(distinct, results.Sum(r => r.Count(a => a)));
        Assert.Equal(distinct, await store.CountAsync(campaign));
        for (var b = 0; b < batches.Count; b++)
        {
            for (var i = 0; i < batches[b].Length; i++)
            {
                var lead = batches[b][i];
                Assert.Equal(results[b][i], (await store.GetAsync(lead.Id)) is not null);
            }
        }
    }

    /// <summary>A result buffer shorter than the batch is rejected before anything is stored.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddManyAsync_ShortResultBuffer_ThrowsAndAddsNothing()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        Lead[] batch = [ContractTestData.NewLead(campaign), ContractTestData.NewLead(campaign)];

        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() => store.TryAddManyAsync(batch, new bool[1]).AsTask());

        Assert.Equal(0, await store.CountAsync(campaign));
    }

    /// <summary>An empty batch is a no-op, even with an empty result buffer.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddManyAsync_EmptyBatch_DoesNothing()
    {
        var store = await CreateStoreAsync();

        await store.TryAddManyAsync(ReadOnlyMemory<Lead>.Empty, Memory<bool>.Empty);
        await store.UpdateManyAsync(ReadOnlyMemory<LeadUpdate>.Empty, Memory<bool>.Empty);
    }

    /// <summary>A lead in a batch whose id is taken under another identity is a caller bug: the call throws and that lead is not stored.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddManyAsync_ExistingIdWithOtherIdentity_Throws()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var lead = ContractTestData.NewLead(campaign);
        Assert.True(await store.TryAddAsync(lead));
        var clash = ContractTestData.NewLead(campaign, "e:other@example.com");
        clash.Id = lead.Id;

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => store.TryAddManyAsync(new[] { ContractTestData.NewLead(campaign), clash }, new bool[2]).AsTask());

        Assert.Null(await store.FindByIdentityAsync(campaign, "e:other@example.com"));
        ContractAssert.LeadEqual(lead, await store.GetAsync(lead.Id));
    }

    /// <summary>
    /// Each compare-and-set of a batch succeeds or fails on its own: current versions are applied, a stale version and a missing
    /// lead are refused and change nothing.
    /// </summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateManyAsync_MixedVersions_AppliesEachOnItsOwn()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var a = ContractTestData.NewLead(campaign);
        var b = ContractTestData.NewLead(campaign);
        var c = ContractTestData.NewLead(campaign);
        foreach (var lead in new[] { a, b, c })
        {
            Assert.True(await store.TryAddAsync(lead));
        }

        var winner = b.Clone();
        winner.TransitionTo(LeadStatus.Enriched, ContractTestData.At(1));
        Assert.True(await store.UpdateAsync(winner, 1));

        var newA = ContractTestData.FullLead(campaign, ContractTestData.SqlText);
        newA.Id = a.Id;
        newA.IdentityKey = a.IdentityKey;
        newA.Version = 2;
        var staleB = b.Clone();
        staleB.TransitionTo(LeadStatus.Quarantined, ContractTestData.At(2));
        var missing = ContractTestData.NewLead(campaign);
        missing.Version = 2;
        var newC = c.Clone();
        newC.TransitionTo(LeadStatus.Enriched, ContractTestData.At(3));
        newC.Title = "CTO";
        LeadUpdate[] updates = [new(newA, 1), new(staleB, 1), new(missing, 1), new(newC, 1)];
        var updated = new bool[updates.Length];

        await store.UpdateManyAsync(updates, updated);

        Assert.Equal([true, false, false, true], updated);
        ContractAssert.LeadEqual(newA, await store.GetAsync(a.Id));
        ContractAssert.LeadEqual(winner, await store.GetAsync(b.Id));
        Assert.Null(await store.GetAsync(missing.Id));
        ContractAssert.LeadEqual(newC, await store.GetAsync(c.Id));
        Assert.Equal(3, await store.CountAsync(campaign));
        Assert.Equal(2, await store.CountAsync(campaign, LeadStatus.Enriched));
    }

    /// <summary>Batches updating the same leads from the same versions at once: exactly one compare-and-set per lead succeeds.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateManyAsync_ConcurrentBatchesSameVersions_ExactlyOneWinsPerLead()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var leads = Enumerable.Range(0, 8).Select(_ => ContractTestData.NewLead(campaign)).ToArray();
        await store.TryAddManyAsync(leads, new bool[leads.Length]);
        var writers = Math.Max(2, Concurrency / 8);
        var batches = Enumerable.Range(0, writers).Select(w => leads.Select(l =>
        {
            var copy = l.Clone();
            copy.TransitionTo(LeadStatus.Enriched, ContractTestData.At(w));
            copy.Title = "writer " + w;
            return new LeadUpdate(copy, 1);
        }).ToArray()).ToList();

        var results = await Concurrently.RunAsync(batches, async batch =>
        {
            var updated = new bool[batch.Length];
            await store.UpdateManyAsync(batch, updated);
            return updated;
        });

        for (var i = 0; i < leads.Length; i++)
        {
            var winners = Enumerable.Range(0, writers).Where(w => results[w][i]).ToList();
            Assert.Single(winners);
            ContractAssert.LeadEqual(batches[winners[0]][i].Lead, await store.GetAsync(leads[i].Id));
        }
    }

    /// <summary>A result buffer shorter than the batch is rejected before anything is changed.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateManyAsync_ShortResultBuffer_ThrowsAndChangesNothing()
    {
        var store = await CreateStoreAsync();
        var lead = ContractTestData.NewLead(ContractTestData.NewCampaignId());
        Assert.True(await store.TryAddAsync(lead));
        var changed = lead.Clone();
        changed.TransitionTo(LeadStatus.Enriched, ContractTestData.At(1));

        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(
            () => store.UpdateManyAsync(new[] { new LeadUpdate(changed, 1) }, Memory<bool>.Empty).AsTask());

        ContractAssert.LeadEqual(lead, await store.GetAsync(lead.Id));
    }

    /// <summary>An update in a batch that changes a stored lead's identity key is a caller bug: the call throws and that lead keeps its identity.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateManyAsync_ChangedIdentityKey_Throws()
    {
        var store = await CreateStoreAsync();
        var lead = ContractTestData.NewLead(ContractTestData.NewCampaignId());
        Assert.True(await store.TryAddAsync(lead));
        var changed = lead.Clone();
        changed.IdentityKey = "e:someone-else@example.com";
        changed.Version = 2;

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.UpdateManyAsync(new[] { new LeadUpdate(changed, 1) }, new bool[1]).AsTask());

        ContractAssert.LeadEqual(lead, await store.GetAsync(lead.Id));
    }

    /// <summary>A negative skip or a page size below one is rejected.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task QueryAsync_InvalidPage_Throws()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();

        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() => store.QueryAsync(new LeadQuery { CampaignId = campaign, Skip = -1 }).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() => store.QueryAsync(new LeadQuery { CampaignId = campaign, Take = 0 }).AsTask());
    }

    private static string Describe(string value) => value.Length > 40 ? $"{value.Length} chars" : value;

    /// <summary>
    /// Paging through a run's leads in some states finds every lead that stays in them exactly once, while leads on pages
    /// already read leave those states (as another run moves them on) and leads of other runs are left out.
    /// </summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ListByRunAsync_StatusesChangeWhilePaging_FindsEveryLeadOnce()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var run = Guid.NewGuid();
        var other = Guid.NewGuid();
        var ours = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            var lead = ContractTestData.NewLead(campaign, createdAt: ContractTestData.At(i));
            lead.RunId = i % 3 == 0 ? other : run;
            Assert.True(await store.TryAddAsync(lead));
            if (lead.RunId == run)
            {
                ours.Add(lead.Id);
            }
        }

        var finished = ContractTestData.NewLead(campaign, createdAt: ContractTestData.At(31));
        finished.RunId = run;
        finished.Status = LeadStatus.Contacted;
        Assert.True(await store.TryAddAsync(finished));

        var seen = new List<Guid>();
        Guid? after = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await store.ListByRunAsync(new LeadRunQuery { RunId = run, Statuses = [LeadStatus.New, LeadStatus.Enriched], After = after, Take = 4 });
            Assert.Equal(page.Select(l => l.Id).Order(), page.Select(l => l.Id));
            foreach (var lead in page)
            {
                Assert.Equal(run, lead.RunId);
                seen.Add(lead.Id);

                // Moved on to a state the query no longer asks for.
                var moved = lead.Clone();
                moved.Status = LeadStatus.Scored;
                moved.Version = lead.Version + 1;
                Assert.True(await store.UpdateAsync(moved, lead.Version));
            }

            if (page.Count < 4)
            {
                break;
            }

            after = page[^1].Id;
        }

        Assert.Equal(ours.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(await store.ListByRunAsync(new LeadRunQuery { RunId = run, Statuses = [LeadStatus.New, LeadStatus.Enriched] }));
        Assert.Equal(ours.Count + 1, (await store.ListByRunAsync(new LeadRunQuery { RunId = run })).Count);
    }
}
