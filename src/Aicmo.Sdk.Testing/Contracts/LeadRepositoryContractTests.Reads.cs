using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Xunit;

namespace Aicmo.Sdk.Testing.Contracts;

/// <content>Reading several leads by id at once.</content>
public abstract partial class LeadRepositoryContractTests
{
    /// <summary>Stored, missing and repeated ids: each index gets its lead as stored, or null, each a separate object.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetManyAsync_StoredMissingAndRepeatedIds_ReturnsEachAtItsIndex()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var first = ContractTestData.FullLead(campaign, ContractTestData.NonAscii);
        var second = ContractTestData.NewLead(campaign);
        Assert.True(await store.TryAddAsync(first));
        Assert.True(await store.TryAddAsync(second));
        var missing = Guid.NewGuid();

        var leads = await store.GetManyAsync([second.Id, missing, first.Id, second.Id]);

        Assert.Equal(4, leads.Count);
        ContractAssert.LeadEqual(second, leads[0]);
        Assert.Null(leads[1]);
        ContractAssert.LeadEqual(first, leads[2]);
        ContractAssert.LeadEqual(second, leads[3]);
        Assert.NotSame(leads[0], leads[3]);
    }

    /// <summary>No ids: an empty list, and nothing is asked of the store that could fail.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetManyAsync_NoIds_ReturnsEmpty()
    {
        var store = await CreateStoreAsync();

        Assert.Empty(await store.GetManyAsync([]));
    }

    /// <summary>A null list of ids is refused with the parameter's name.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetManyAsync_NullIds_Throws()
    {
        var store = await CreateStoreAsync();

        var error = await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.GetManyAsync(null!));
        Assert.Equal("leadIds", error.ParamName);
    }

    /// <summary>The leads read are the stored ones after updates (their latest version), and changing them changes nothing stored.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetManyAsync_AfterUpdates_ReturnsLatestVersionsAsSnapshots()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var leads = Enumerable.Range(0, 3).Select(i => ContractTestData.NewLead(campaign, $"e:many{i}@example.com")).ToList();
        foreach (var lead in leads)
        {
            Assert.True(await store.TryAddAsync(lead));
        }

        leads[1].TransitionTo(LeadStatus.Enriched, ContractTestData.At(5));
        Assert.True(await store.UpdateAsync(leads[1], expectedVersion: 1));

        var read = await store.GetManyAsync(leads.Select(l => l.Id).ToList());
        Assert.Equal(2, read[1]!.Version);
        Assert.Equal(LeadStatus.Enriched, read[1]!.Status);
        for (var i = 0; i < leads.Count; i++)
        {
            ContractAssert.LeadEqual(leads[i], read[i]);
        }

        read[0]!.FirstName = "Changed by the caller";
        ContractAssert.LeadEqual(leads[0], await store.GetAsync(leads[0].Id));
    }

    /// <summary>A batch larger than the pipeline's batches, in an order unlike the store's: every lead comes back at its own index.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetManyAsync_LargeBatchInShuffledOrder_EveryLeadAtItsIndex()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var leads = Enumerable.Range(0, 600).Select(i => ContractTestData.NewLead(campaign, $"e:batch{i}@example.com")).ToArray();
        await store.TryAddManyAsync(leads, new bool[leads.Length]);
        var ids = leads.Select(l => l.Id).Reverse().Where((_, i) => i % 7 != 3).ToList();

        var read = await store.GetManyAsync(ids);

        Assert.Equal(ids.Count, read.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(ids[i], read[i]?.Id);
        }
    }
}
