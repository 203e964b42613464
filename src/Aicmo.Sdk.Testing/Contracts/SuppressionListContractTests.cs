using Aicmo.Sdk.Storage;
using Xunit;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>The contract every <see cref="ISuppressionList"/> must meet. Derive from it in the store's test assembly.</summary>
public abstract class SuppressionListContractTests
{
    /// <summary>Gets how many tasks the concurrency facts start at once.</summary>
    /// <value>The default value is 64.</value>
    protected virtual int Concurrency => 64;

    /// <summary>Creates the store under test, ready to use.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<ISuppressionList> CreateStoreAsync();

    private static string NewAddress() => $"person-{Guid.NewGuid():N}@example.com";

    /// <summary>An added address is found, stored in its normalized form.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AddAsync_ThenGet_ReturnsNormalizedEntry()
    {
        var store = await CreateStoreAsync();
        var address = NewAddress();

        await store.AddAsync(new SuppressionEntry("  " + address.ToUpperInvariant() + " ", SuppressionReason.Unsubscribed, ContractTestData.BaseTime));

        Assert.Equal(new SuppressionEntry(address, SuppressionReason.Unsubscribed, ContractTestData.BaseTime), await store.GetAsync(address));
    }

    /// <summary>Lookups ignore case and surrounding spaces.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetAsync_DifferentCaseAndSpacing_FindsEntry()
    {
        var store = await CreateStoreAsync();
        var address = NewAddress();
        await store.AddAsync(new SuppressionEntry(address, SuppressionReason.Bounced, ContractTestData.BaseTime));

        Assert.NotNull(await store.GetAsync(address.ToUpperInvariant()));
        Assert.NotNull(await store.GetAsync("\t" + address + "  "));
    }

    /// <summary>An address never added, or an empty one, may be mailed.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetAsync_UnknownOrEmpty_ReturnsNull()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync(NewAddress()));
        Assert.Null(await store.GetAsync(string.Empty));
        Assert.Null(await store.GetAsync("   "));
    }

    /// <summary>Adding an address again replaces the reason and time.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AddAsync_Existing_ReplacesEntry()
    {
        var store = await CreateStoreAsync();
        var address = NewAddress();
        await store.AddAsync(new SuppressionEntry(address, SuppressionReason.Bounced, ContractTestData.BaseTime));

        await store.AddAsync(new SuppressionEntry(address.ToUpperInvariant(), SuppressionReason.Complained, ContractTestData.At(60_000)));

        Assert.Equal(new SuppressionEntry(address, SuppressionReason.Complained, ContractTestData.At(60_000)), await store.GetAsync(address));
    }

    /// <summary>Removing reports whether an entry was there, and the address may be mailed again.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task RemoveAsync_ReportsWhetherRemoved()
    {
        var store = await CreateStoreAsync();
        var address = NewAddress();
        await store.AddAsync(new SuppressionEntry(address, SuppressionReason.Manual, ContractTestData.BaseTime));

        Assert.True(await store.RemoveAsync(" " + address.ToUpperInvariant()));
        Assert.Null(await store.GetAsync(address));
        Assert.False(await store.RemoveAsync(address));
        Assert.False(await store.RemoveAsync(string.Empty));
    }

    /// <summary>An empty address cannot be suppressed.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AddAsync_EmptyAddress_Throws()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AddAsync(new SuppressionEntry("  ", SuppressionReason.Manual, ContractTestData.BaseTime)).AsTask());
    }

    /// <summary>Every reason round-trips.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AddAsync_EveryReason_RoundTrips()
    {
        var store = await CreateStoreAsync();
        foreach (var reason in Enum.GetValues<SuppressionReason>())
        {
            var address = NewAddress();
            await store.AddAsync(new SuppressionEntry(address, reason, ContractTestData.BaseTime));

            Assert.Equal(reason, (await store.GetAsync(address))?.Reason);
        }
    }

    /// <summary>Many tasks adding and reading at once lose no entry.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AddAsync_ManyConcurrentWriters_StoresEveryAddress()
    {
        var store = await CreateStoreAsync();
        var addresses = Enumerable.Range(0, Concurrency).Select(_ => NewAddress()).ToList();

        await Concurrently.RunAsync(addresses, async a =>
        {
            await store.AddAsync(new SuppressionEntry(a, SuppressionReason.Unsubscribed, ContractTestData.BaseTime)).ConfigureAwait(false);
            return await store.GetAsync(a).ConfigureAwait(false) is not null;
        });

        foreach (var a in addresses)
        {
            Assert.NotNull(await store.GetAsync(a));
        }
    }

    /// <summary>Non-ASCII addresses and hostile text are stored in their normalized form and found again.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AddAsync_HostileValues_RoundTripNormalized()
    {
        var store = await CreateStoreAsync();
        foreach (var hostile in ContractTestData.HostileValues.Where(v => !string.IsNullOrWhiteSpace(v)).Append("ZOË@例え.JP"))
        {
            var address = hostile + Guid.NewGuid().ToString("N");
            var normalized = Identity.LeadIdentity.NormalizeEmail(address)!;

            await store.AddAsync(new SuppressionEntry(address, SuppressionReason.Erased, ContractTestData.BaseTime));

            Assert.Equal(new SuppressionEntry(normalized, SuppressionReason.Erased, ContractTestData.BaseTime), await store.GetAsync(address));
            Assert.True(await store.RemoveAsync(address));
        }
    }

    /// <summary>Listing pages through the entries in ordinal order of the stored address, each page after the last one's key.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ListAsync_PagesAfterAKey_InOrdinalOrder()
    {
        var store = await CreateStoreAsync();
        var prefix = $"list-{Guid.NewGuid():N}-";
        var addresses = Enumerable.Range(0, 5).Select(i => $"{prefix}{i}@example.com").ToList();
        foreach (var a in addresses.AsEnumerable().Reverse())
        {
            await store.AddAsync(new SuppressionEntry(a, SuppressionReason.Manual, ContractTestData.BaseTime));
        }

        var seen = new List<SuppressionEntry>();
        var after = prefix;
        while (true)
        {
            var page = await store.ListAsync(after, 2);
            Assert.InRange(page.Count, 0, 2);
            var ours = page.TakeWhile(e => e.Email.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            seen.AddRange(ours);
            if (ours.Count < 2)
            {
                break;
            }

            after = page[^1].Email;
        }

        Assert.Equal(addresses, seen.Select(e => e.Email));
        Assert.All(seen, e => Assert.Equal(SuppressionReason.Manual, e.Reason));
    }
}
