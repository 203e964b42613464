using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Xunit;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>The contract every <see cref="ILeadRepository"/> must meet. Derive from it in the store's test assembly.</summary>
/// <remarks>Every fact asks <see cref="CreateStoreAsync"/> for a store and uses campaign ids of its own, so stores may share one database.</remarks>
public abstract partial class LeadRepositoryContractTests
{
    /// <summary>Gets how many tasks the concurrency facts start at once.</summary>
    /// <value>The default value is 64.</value>
    protected virtual int Concurrency => 64;

    /// <summary>Creates the store under test, ready to use.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<ILeadRepository> CreateStoreAsync();

    /// <summary>An added lead reads back unchanged by id and by identity.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddAsync_NewIdentity_StoresLeadReadableByIdAndIdentity()
    {
        var store = await CreateStoreAsync();
        var lead = ContractTestData.NewLead(ContractTestData.NewCampaignId());

        Assert.True(await store.TryAddAsync(lead));

        ContractAssert.LeadEqual(lead, await store.GetAsync(lead.Id));
        ContractAssert.LeadEqual(lead, await store.FindByIdentityAsync(lead.CampaignId, lead.IdentityKey));
    }

    /// <summary>A second lead with the same campaign and identity key is a duplicate and changes nothing.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddAsync_SameCampaignAndIdentity_ReturnsFalseAndKeepsFirst()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var first = ContractTestData.NewLead(campaign, "e:same@example.com");
        var second = ContractTestData.NewLead(campaign, "e:same@example.com");
        second.FirstName = "Someone else";

        Assert.True(await store.TryAddAsync(first));
        Assert.False(await store.TryAddAsync(second));

        Assert.Null(await store.GetAsync(second.Id));
        ContractAssert.LeadEqual(first, await store.FindByIdentityAsync(campaign, "e:same@example.com"));
        Assert.Equal(1, await store.CountAsync(campaign));
    }

    /// <summary>Identity keys are unique per campaign only.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddAsync_SameIdentityInOtherCampaign_Adds()
    {
        var store = await CreateStoreAsync();
        var a = ContractTestData.NewLead(ContractTestData.NewCampaignId("a"), "e:shared@example.com");
        var b = ContractTestData.NewLead(ContractTestData.NewCampaignId("b"), "e:shared@example.com");

        Assert.True(await store.TryAddAsync(a));
        Assert.True(await store.TryAddAsync(b));

        Assert.Equal(a.Id, (await store.FindByIdentityAsync(a.CampaignId, "e:shared@example.com"))?.Id);
        Assert.Equal(b.Id, (await store.FindByIdentityAsync(b.CampaignId, "e:shared@example.com"))?.Id);
    }

    /// <summary>Identity keys are compared exactly (the caller normalizes them): keys differing in case are different leads.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddAsync_KeysDifferingInCase_AreDistinct()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();

        Assert.True(await store.TryAddAsync(ContractTestData.NewLead(campaign, "e:ada@example.com")));
        Assert.True(await store.TryAddAsync(ContractTestData.NewLead(campaign, "e:ADA@example.com")));

        Assert.Equal(2, await store.CountAsync(campaign));
    }

    /// <summary>Many tasks adding the same identity at once: exactly one wins; the store decides, not a check-then-insert.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddAsync_ManyConcurrentWritersSameIdentity_ExactlyOneAdds()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var leads = Enumerable.Range(0, Concurrency).Select(_ => ContractTestData.NewLead(campaign, "e:race@example.com")).ToList();

        var results = await Concurrently.RunAsync(leads, lead => store.TryAddAsync(lead).AsTask());

        Assert.Single(results, added => added);
        var winner = leads[Array.IndexOf(results, true)];
        Assert.Equal(winner.Id, (await store.FindByIdentityAsync(campaign, "e:race@example.com"))?.Id);
        Assert.Equal(1, await store.CountAsync(campaign));
    }

    /// <summary>Many tasks adding overlapping identities at once: each identity is stored once, every other attempt is a duplicate.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddAsync_ManyConcurrentWritersOverlappingIdentities_EachIdentityOnce()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        const int identities = 10;
        var leads = Enumerable.Range(0, Concurrency * 4)
            .Select(i => ContractTestData.NewLead(campaign, $"e:person{i % identities}@example.com"))
            .ToList();

        var results = await Concurrently.RunAsync(leads, lead => store.TryAddAsync(lead).AsTask());

        Assert.Equal(identities, results.Count(added => added));
        Assert.Equal(identities, await store.CountAsync(campaign));
        for (var i = 0; i < identities; i++)
        {
            Assert.NotNull(await store.FindByIdentityAsync(campaign, $"e:person{i}@example.com"));
        }
    }

    /// <summary>A lead without an identity key is a caller bug.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddAsync_EmptyIdentityKey_Throws()
    {
        var store = await CreateStoreAsync();
        var lead = ContractTestData.NewLead(ContractTestData.NewCampaignId());
        lead.IdentityKey = string.Empty;

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.TryAddAsync(lead).AsTask());
    }

    /// <summary>Adding a second lead with an existing id under another identity is a caller bug, not a duplicate.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddAsync_ExistingIdWithOtherIdentity_Throws()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var lead = ContractTestData.NewLead(campaign);
        Assert.True(await store.TryAddAsync(lead));
        var clash = ContractTestData.NewLead(campaign, "e:other@example.com");
        clash.Id = lead.Id;

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.TryAddAsync(clash).AsTask());
        Assert.Null(await store.FindByIdentityAsync(campaign, "e:other@example.com"));
    }

    /// <summary>Changing the caller's object after adding it does not change the stored lead.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddAsync_CallerChangesObjectAfterwards_StoredLeadUnchanged()
    {
        var store = await CreateStoreAsync();
        var lead = ContractTestData.NewLead(ContractTestData.NewCampaignId());
        var snapshot = lead.Clone();
        Assert.True(await store.TryAddAsync(lead));

        lead.FirstName = "Changed";
        lead.Attributes["later"] = "x";

        ContractAssert.LeadEqual(snapshot, await store.GetAsync(lead.Id));
    }

    /// <summary>An update with the stored version replaces the lead.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateAsync_ExpectedVersionMatches_ReplacesLead()
    {
        var store = await CreateStoreAsync();
        var lead = ContractTestData.NewLead(ContractTestData.NewCampaignId());
        Assert.True(await store.TryAddAsync(lead));

        lead.TransitionTo(LeadStatus.Enriched, ContractTestData.At(10));
        lead.Industry = "Aerospace";
        lead.Attributes["intent"] = "high";
        Assert.True(await store.UpdateAsync(lead, expectedVersion: 1));

        var stored = await store.GetAsync(lead.Id);
        ContractAssert.LeadEqual(lead, stored);
        Assert.Equal(2, stored!.Version);
    }

    /// <summary>An update with a version that is no longer stored fails and changes nothing.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateAsync_StaleVersion_ReturnsFalseAndKeepsStoredLead()
    {
        var store = await CreateStoreAsync();
        var lead = ContractTestData.NewLead(ContractTestData.NewCampaignId());
        Assert.True(await store.TryAddAsync(lead));
        var winner = lead.Clone();
        winner.TransitionTo(LeadStatus.Enriched, ContractTestData.At(1));
        Assert.True(await store.UpdateAsync(winner, 1));

        var loser = lead.Clone();
        loser.TransitionTo(LeadStatus.Quarantined, ContractTestData.At(2));
        Assert.False(await store.UpdateAsync(loser, 1));

        ContractAssert.LeadEqual(winner, await store.GetAsync(lead.Id));
    }

    /// <summary>Updating a lead that was never added fails without adding it.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateAsync_MissingLead_ReturnsFalse()
    {
        var store = await CreateStoreAsync();
        var lead = ContractTestData.NewLead(ContractTestData.NewCampaignId());

        Assert.False(await store.UpdateAsync(lead, 1));
        Assert.Null(await store.GetAsync(lead.Id));
    }

    /// <summary>Many tasks updating from the same version at once: exactly one compare-and-set succeeds.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateAsync_ManyConcurrentWritersSameVersion_ExactlyOneWins()
    {
        var store = await CreateStoreAsync();
        var lead = ContractTestData.NewLead(ContractTestData.NewCampaignId());
        Assert.True(await store.TryAddAsync(lead));
        var attempts = Enumerable.Range(0, Concurrency).Select(i =>
        {
            var copy = lead.Clone();
            copy.TransitionTo(LeadStatus.Enriched, ContractTestData.At(i));
            copy.Title = "writer " + i;
            return copy;
        }).ToList();

        var results = await Concurrently.RunAsync(attempts, copy => store.UpdateAsync(copy, 1).AsTask());

        Assert.Single(results, won => won);
        var winner = attempts[Array.IndexOf(results, true)];
        ContractAssert.LeadEqual(winner, await store.GetAsync(lead.Id));
    }

    /// <summary>Writers that retry on conflict each get their increment in: no update is lost.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateAsync_ConcurrentIncrementsWithRetry_NoLostUpdate()
    {
        var store = await CreateStoreAsync();
        var lead = ContractTestData.NewLead(ContractTestData.NewCampaignId());
        lead.CompanySize = 0;
        Assert.True(await store.TryAddAsync(lead));
        var writers = Math.Min(Concurrency, 16);

        await Concurrently.RunAsync(Enumerable.Range(0, writers).ToList(), async _ =>
        {
            while (true)
            {
                var current = (await store.GetAsync(lead.Id))!;
                var expected = current.Version;
                current.CompanySize++;
                current.Version++;
                if (await store.UpdateAsync(current, expected))
                {
                    return true;
                }
            }
        });

        var stored = await store.GetAsync(lead.Id);
        Assert.Equal(writers, stored!.CompanySize);
        Assert.Equal(1 + writers, stored.Version);
    }

    /// <summary>A stored lead's campaign and identity key cannot change through an update.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateAsync_ChangedIdentityKey_Throws()
    {
        var store = await CreateStoreAsync();
        var lead = ContractTestData.NewLead(ContractTestData.NewCampaignId());
        Assert.True(await store.TryAddAsync(lead));
        var changed = lead.Clone();
        changed.IdentityKey = "e:someone-else@example.com";
        changed.Version = 2;

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.UpdateAsync(changed, 1).AsTask());
        ContractAssert.LeadEqual(lead, await store.GetAsync(lead.Id));
    }

    /// <summary>Every field, decision, attribute and provenance round-trips unchanged, with hostile text in every string.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddAsync_HostileValues_RoundTripUnchanged()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId(ContractTestData.SqlText);
        foreach (var hostile in ContractTestData.HostileValues)
        {
            var lead = ContractTestData.FullLead(campaign, hostile);

            Assert.True(await store.TryAddAsync(lead), "hostile value: " + Describe(hostile));

            ContractAssert.LeadEqual(lead, await store.GetAsync(lead.Id));
            ContractAssert.LeadEqual(lead, await store.FindByIdentityAsync(campaign, lead.IdentityKey));
        }

        Assert.Equal(ContractTestData.HostileValues.Count, await store.CountAsync(campaign));
    }

    /// <summary>Hostile text written by an update round-trips unchanged.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateAsync_HostileValues_RoundTripUnchanged()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var lead = ContractTestData.NewLead(campaign);
        Assert.True(await store.TryAddAsync(lead));
        var expected = lead.Version;
        foreach (var hostile in ContractTestData.HostileValues)
        {
            var full = ContractTestData.FullLead(campaign, hostile);
            full.Id = lead.Id;
            full.IdentityKey = lead.IdentityKey;
            full.Version = expected + 1;

            Assert.True(await store.UpdateAsync(full, expected));

            ContractAssert.LeadEqual(full, await store.GetAsync(lead.Id));
            expected = full.Version;
        }
    }

    /// <summary>A lead with no optional field set reads back with them all unset.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddAsync_MinimalLead_RoundTripsNulls()
    {
        var store = await CreateStoreAsync();
        var lead = new Lead
        {
            Id = Guid.NewGuid(),
            CampaignId = ContractTestData.NewCampaignId(),
            IdentityKey = "n:example.com|ada",
            CreatedAt = ContractTestData.BaseTime,
            UpdatedAt = ContractTestData.BaseTime,
        };

        Assert.True(await store.TryAddAsync(lead));

        ContractAssert.LeadEqual(lead, await store.GetAsync(lead.Id));
    }

    /// <summary>Lookups of what is not stored return null.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetAsync_Missing_ReturnsNull()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync(Guid.NewGuid()));
        Assert.Null(await store.FindByIdentityAsync(ContractTestData.NewCampaignId(), "e:nobody@example.com"));
    }

    /// <summary>Leads are listed by creation time then id, and pages neither skip nor repeat a lead.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task QueryAsync_Paged_ReturnsEveryLeadOnceInCreationOrder()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var other = ContractTestData.NewCampaignId("other");

        // Added out of order, with ties on the creation time that the id must break.
        var leads = Enumerable.Range(0, 23)
            .Select(i => ContractTestData.NewLead(campaign, createdAt: ContractTestData.At((i * 7 % 23) / 2 * 1000)))
            .ToList();
        foreach (var lead in leads)
        {
            Assert.True(await store.TryAddAsync(lead));
        }

        Assert.True(await store.TryAddAsync(ContractTestData.NewLead(other)));
        var expected = leads.OrderBy(l => l.CreatedAt).ThenBy(l => l.Id).Select(l => l.Id).ToList();

        var seen = new List<Guid>();
        for (var skip = 0; skip < 30; skip += 5)
        {
            var page = await store.QueryAsync(new LeadQuery { CampaignId = campaign, Skip = skip, Take = 5 });
            Assert.True(page.Count <= 5);
            seen.AddRange(page.Select(l => l.Id));
        }

        Assert.Equal(expected, seen);
        var all = await store.QueryAsync(new LeadQuery { CampaignId = campaign, Take = 1000 });
        Assert.Equal(expected, all.Select(l => l.Id));
        ContractAssert.LeadEqual(leads.Single(l => l.Id == expected[0]), all[0]);
    }
}
