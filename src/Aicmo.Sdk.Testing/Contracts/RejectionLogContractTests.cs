using Aicmo.Sdk.Storage;
using Xunit;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>The contract every <see cref="IRejectionLog"/> must meet. Derive from it in the store's test assembly.</summary>
public abstract class RejectionLogContractTests
{
    /// <summary>Creates the store under test, ready to use.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<IRejectionLog> CreateStoreAsync();

    private static RejectedCandidate NewRejection(Guid runId, int line, string? reason = null) => new()
    {
        RunId = runId,
        CampaignId = "campaign-rejections",
        Source = "crm.csv",
        Position = $"line {line}",
        ExternalId = $"row-{line}",
        Reason = reason ?? $"line {line}: wrong column count (expected 5, found 3)",
        At = ContractTestData.At(line),
    };

    /// <summary>Rejections of a run read back in the order they were recorded, page by page with increasing ids.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AppendManyAsync_ThenList_ReadsBackInOrderByPages()
    {
        var store = await CreateStoreAsync();
        var run = Guid.NewGuid();
        var other = Guid.NewGuid();
        var written = Enumerable.Range(1, 7).Select(i => NewRejection(run, i)).ToArray();
        await store.AppendManyAsync(written.AsMemory(0, 4));
        await store.AppendManyAsync(new[] { NewRejection(other, 99) });
        await store.AppendManyAsync(written.AsMemory(4));

        var read = new List<RejectedCandidate>();
        long after = 0;
        while (true)
        {
            var page = await store.ListAsync(run, after, take: 3);
            read.AddRange(page);
            if (page.Count < 3)
            {
                break;
            }

            after = page[^1].Id;
        }

        Assert.Equal(written, read.Select(r => r with { Id = 0 }));
        Assert.True(read.Select(r => r.Id).SequenceEqual(read.Select(r => r.Id).Order()) && read.Select(r => r.Id).Distinct().Count() == 7);
        Assert.Equal(7, await store.CountAsync(run));
        Assert.Equal(1, await store.CountAsync(other));
        Assert.Equal(0, await store.CountAsync(Guid.NewGuid()));
    }

    /// <summary>Hostile text in every field round-trips unchanged, and optional fields may be missing.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AppendManyAsync_HostileValuesAndMissingFields_RoundTrip()
    {
        var store = await CreateStoreAsync();
        var run = Guid.NewGuid();
        var written = ContractTestData.HostileValues
            .Select((h, i) => NewRejection(run, i) with { Source = h, Reason = h, CampaignId = h, Position = i % 2 == 0 ? h : null, ExternalId = i % 2 == 0 ? null : h })
            .ToArray();

        await store.AppendManyAsync(written);

        Assert.Equal(written, (await store.ListAsync(run, take: 100)).Select(r => r with { Id = 0 }));
    }
}
