using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Xunit;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>The contract every <see cref="ICampaignRepository"/> must meet. Derive from it in the store's test assembly.</summary>
/// <remarks>Facts that list campaigns need a store of their own: <see cref="CreateStoreAsync"/> must return an empty store.</remarks>
public abstract class CampaignRepositoryContractTests
{
    /// <summary>Gets how many tasks the concurrency facts start at once.</summary>
    /// <value>The default value is 64.</value>
    protected virtual int Concurrency => 64;

    /// <summary>Creates an empty store under test, ready to use.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<ICampaignRepository> CreateStoreAsync();

    /// <summary>A new campaign is added and returned, and reads back unchanged.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetOrAddAsync_NewCampaign_AddsAndReturnsIt()
    {
        var store = await CreateStoreAsync();
        var campaign = new Campaign { Id = ContractTestData.NewCampaignId(), Name = "Q4 enterprise", CreatedAt = ContractTestData.BaseTime };

        Assert.Equal(campaign, await store.GetOrAddAsync(campaign));
        Assert.Equal(campaign, await store.GetAsync(campaign.Id));
    }

    /// <summary>The first campaign with an id stays; a later one with the same id gets the stored one back.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetOrAddAsync_ExistingId_ReturnsStoredAndKeepsIt()
    {
        var store = await CreateStoreAsync();
        var id = ContractTestData.NewCampaignId();
        var first = new Campaign { Id = id, Name = "first", CreatedAt = ContractTestData.BaseTime };
        await store.GetOrAddAsync(first);

        var returned = await store.GetOrAddAsync(new Campaign { Id = id, Name = "second", CreatedAt = ContractTestData.At(1000) });

        Assert.Equal(first, returned);
        Assert.Equal(first, await store.GetAsync(id));
    }

    /// <summary>Many tasks adding the same campaign at once all get the same stored campaign back.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetOrAddAsync_ManyConcurrentWriters_AllSeeOneCampaign()
    {
        var store = await CreateStoreAsync();
        var id = ContractTestData.NewCampaignId();
        var attempts = Enumerable.Range(0, Concurrency).Select(i => new Campaign { Id = id, Name = "writer " + i, CreatedAt = ContractTestData.At(i) }).ToList();

        var results = await Concurrently.RunAsync(attempts, c => store.GetOrAddAsync(c).AsTask());

        var stored = await store.GetAsync(id);
        Assert.NotNull(stored);
        Assert.Contains(stored, attempts);
        Assert.All(results, r => Assert.Equal(stored, r));
        Assert.Single(await store.ListAsync(), c => c.Id == id);
    }

    /// <summary>An unknown id reads as null.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetAsync_Missing_ReturnsNull()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync(ContractTestData.NewCampaignId()));
    }

    /// <summary>Campaigns are listed by id in ordinal order.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ListAsync_ReturnsEveryCampaignOrderedByIdOrdinal()
    {
        var store = await CreateStoreAsync();
        string[] ids = ["b-campaign", "a-campaign", "B-campaign", "a-campaign-2", "_campaign", "0-campaign"];
        foreach (var id in ids)
        {
            await store.GetOrAddAsync(new Campaign { Id = id, CreatedAt = ContractTestData.BaseTime });
        }

        var listed = await store.ListAsync();

        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(c => c.Id));
    }

    /// <summary>Hostile ids and names round-trip unchanged.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetOrAddAsync_HostileValues_RoundTripUnchanged()
    {
        var store = await CreateStoreAsync();
        foreach (var hostile in ContractTestData.HostileValues.Where(v => v.Length > 0))
        {
            var campaign = new Campaign { Id = hostile, Name = hostile, CreatedAt = ContractTestData.BaseTime };

            Assert.Equal(campaign, await store.GetOrAddAsync(campaign));
            Assert.Equal(campaign, await store.GetAsync(hostile));
        }

        Assert.Equal(ContractTestData.HostileValues.Count(v => v.Length > 0), (await store.ListAsync()).Count);
    }

    /// <summary>A campaign without a name keeps it unset.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetOrAddAsync_NoName_RoundTripsNull()
    {
        var store = await CreateStoreAsync();
        var campaign = new Campaign { Id = ContractTestData.NewCampaignId(), CreatedAt = ContractTestData.BaseTime };

        await store.GetOrAddAsync(campaign);

        Assert.Equal(campaign, await store.GetAsync(campaign.Id));
    }

    /// <summary>A new campaign is added by <see cref="ICampaignRepository.TryAddAsync"/> with every field; a second one with its id is refused.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddAsync_NewThenSameId_AddsOnceWithEveryField()
    {
        var store = await CreateStoreAsync();
        var campaign = FullCampaign(ContractTestData.NewCampaignId());

        Assert.True(await store.TryAddAsync(campaign));
        Assert.False(await store.TryAddAsync(campaign with { Name = "other", Version = 9 }));

        Assert.Equivalent(campaign, await store.GetAsync(campaign.Id), strict: true);
        Assert.Equivalent(campaign, Assert.Single(await store.ListAsync(), c => c.Id == campaign.Id), strict: true);
    }

    /// <summary>An update with the stored version replaces the campaign; one with a stale version or for a missing campaign changes nothing.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateAsync_CurrentThenStaleVersion_OnlyTheCurrentOneApplies()
    {
        var store = await CreateStoreAsync();
        var campaign = FullCampaign(ContractTestData.NewCampaignId());
        await store.TryAddAsync(campaign);
        var changed = campaign with
        {
            Name = "renamed",
            Description = null,
            Active = false,
            ArchivedAt = ContractTestData.At(5000),
            UpdatedAt = ContractTestData.At(5000),
            Version = campaign.Version + 1,
            Settings = new CampaignSettings { MaxLeadsPerRun = 7 },
        };

        Assert.True(await store.UpdateAsync(changed, campaign.Version));
        Assert.False(await store.UpdateAsync(campaign with { Name = "stale", Version = campaign.Version + 1 }, campaign.Version));
        Assert.False(await store.UpdateAsync(changed with { Id = ContractTestData.NewCampaignId() }, changed.Version));

        Assert.Equivalent(changed, await store.GetAsync(campaign.Id), strict: true);
    }

    /// <summary>Many writers updating from the same version at once: exactly one wins.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateAsync_ManyConcurrentWritersFromOneVersion_ExactlyOneWins()
    {
        var store = await CreateStoreAsync();
        var campaign = FullCampaign(ContractTestData.NewCampaignId());
        await store.TryAddAsync(campaign);
        var attempts = Enumerable.Range(0, Concurrency).Select(i => campaign with { Name = "writer " + i, Version = campaign.Version + 1 }).ToList();

        var results = await Concurrently.RunAsync(attempts, c => store.UpdateAsync(c, campaign.Version).AsTask());

        Assert.Single(results, r => r);
        var winner = attempts[results.ToList().IndexOf(true)];
        Assert.Equal(winner.Name, (await store.GetAsync(campaign.Id))?.Name);
    }

    /// <summary>Hostile text in every descriptive field round-trips unchanged.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddAsync_HostileFieldValues_RoundTripUnchanged()
    {
        var store = await CreateStoreAsync();
        foreach (var hostile in ContractTestData.HostileValues)
        {
            var campaign = FullCampaign(ContractTestData.NewCampaignId()) with
            {
                Description = hostile,
                TargetNiche = hostile,
                ServiceKey = hostile,
                Settings = new CampaignSettings { Sources = [hostile], Sequence = hostile },
            };

            Assert.True(await store.TryAddAsync(campaign));
            Assert.Equivalent(campaign, await store.GetAsync(campaign.Id), strict: true);
        }
    }

    private static Campaign FullCampaign(string id) => new()
    {
        Id = id,
        Name = "Dental clinics Q4",
        CreatedAt = ContractTestData.BaseTime,
        UpdatedAt = ContractTestData.At(10),
        Description = "Clinics with 3+ chairs",
        TargetNiche = "dental clinics",
        ServiceKey = "seo-audit",
        TargetClients = 12,
        TargetMonthlyRevenue = 45_000.50m,
        Active = true,
        Version = 3,
        Settings = new CampaignSettings { MaxLeadsPerRun = 5_000, Sources = ["csv", "http"], Sequence = "intro-3-step" },
    };
}
