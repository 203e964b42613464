using Aicmo.Sdk.Storage;
using Xunit;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>The contract every <see cref="IMessageInbox"/> must meet. Derive from it in the store's test assembly.</summary>
public abstract class MessageInboxContractTests
{
    /// <summary>Gets how many callers record one message at once in the concurrency test.</summary>
    protected virtual int Concurrency => 32;

    /// <summary>Creates the store under test, ready to use.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<IMessageInbox> CreateStoreAsync();

    private static string NewMessageId(int attempt = 0) => $"{Guid.NewGuid():N}.7.enrich.{attempt}";

    /// <summary>The first record of a message wins, a second one does not, and only recorded messages are contained.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryRecordAsync_Twice_OnlyTheFirstRecords()
    {
        var inbox = await CreateStoreAsync();
        var id = NewMessageId();
        var next = NewMessageId(1);

        Assert.False(await inbox.ContainsAsync(id));
        Assert.True(await inbox.TryRecordAsync(id, ContractTestData.At(0)));
        Assert.False(await inbox.TryRecordAsync(id, ContractTestData.At(5)));

        Assert.True(await inbox.ContainsAsync(id));
        Assert.False(await inbox.ContainsAsync(next));
        Assert.True(await inbox.TryRecordAsync(next, ContractTestData.At(5)));
    }

    /// <summary>Many callers recording one message at the same moment: exactly one of them wins.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryRecordAsync_ConcurrentlyForOneMessage_ExactlyOneWins()
    {
        var inbox = await CreateStoreAsync();
        var id = NewMessageId();
        var others = Enumerable.Range(0, 4).Select(NewMessageId).ToArray();

        var results = await Concurrently.RunAsync(
            Enumerable.Range(0, Concurrency).ToList(),
            async i => i % 8 == 7
                ? (Other: true, Won: await inbox.TryRecordAsync(others[i / 8 % others.Length], ContractTestData.At(i)))
                : (Other: false, Won: await inbox.TryRecordAsync(id, ContractTestData.At(i))));

        Assert.Equal(1, results.Count(r => !r.Other && r.Won));
        Assert.Equal(Math.Min(others.Length, results.Count(r => r.Other)), results.Count(r => r.Other && r.Won));
        Assert.True(await inbox.ContainsAsync(id));
    }

    /// <summary>Pruning forgets the messages recorded before the instant and keeps the rest; a forgotten one can be recorded again.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task PruneAsync_ForgetsOnlyWhatWasRecordedBefore()
    {
        var inbox = await CreateStoreAsync();
        var old = Enumerable.Range(0, 3).Select(_ => NewMessageId()).ToArray();
        var kept = Enumerable.Range(0, 2).Select(_ => NewMessageId()).ToArray();
        foreach (var (id, i) in old.Select((id, i) => (id, i)))
        {
            Assert.True(await inbox.TryRecordAsync(id, ContractTestData.At(i)));
        }

        Assert.True(await inbox.TryRecordAsync(kept[0], ContractTestData.At(1_000)));
        Assert.True(await inbox.TryRecordAsync(kept[1], ContractTestData.At(2_000)));

        Assert.Equal(3, await inbox.PruneAsync(ContractTestData.At(1_000)));
        Assert.Equal(0, await inbox.PruneAsync(ContractTestData.At(1_000)));

        foreach (var id in old)
        {
            Assert.False(await inbox.ContainsAsync(id));
        }

        Assert.True(await inbox.ContainsAsync(kept[0]));
        Assert.True(await inbox.ContainsAsync(kept[1]));
        Assert.True(await inbox.TryRecordAsync(old[0], ContractTestData.At(3_000)));
        Assert.False(await inbox.TryRecordAsync(kept[0], ContractTestData.At(3_000)));
    }

    /// <summary>Ids are compared exactly: hostile text round-trips, and ids differing only in case or spacing are different messages.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryRecordAsync_HostileAndNearlyEqualIds_AreKeptApart()
    {
        var inbox = await CreateStoreAsync();
        var suffix = Guid.NewGuid().ToString("N");
        var ids = ContractTestData.HostileValues.Where(h => !string.IsNullOrWhiteSpace(h) && h.Length < 400).Select(h => h + suffix)
            .Concat(["Batch." + suffix, "batch." + suffix, "batch." + suffix + " "])
            .ToArray();

        foreach (var id in ids)
        {
            Assert.True(await inbox.TryRecordAsync(id, ContractTestData.At(0)), id.Length > 60 ? id[..60] : id);
        }

        foreach (var id in ids)
        {
            Assert.True(await inbox.ContainsAsync(id));
            Assert.False(await inbox.TryRecordAsync(id, ContractTestData.At(1)));
        }
    }

    /// <summary>An empty message id, or one longer than <see cref="IMessageInbox.MaxMessageIdLength"/>, is refused with an <see cref="ArgumentException"/>; the longest allowed one is kept.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryRecordAsync_EmptyOrTooLongId_Throws()
    {
        var inbox = await CreateStoreAsync();
        var longest = Guid.NewGuid().ToString("N") + new string('x', IMessageInbox.MaxMessageIdLength - 32);
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await inbox.TryRecordAsync(" ", ContractTestData.At(0)));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await inbox.ContainsAsync(string.Empty));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await inbox.TryRecordAsync(longest + "y", ContractTestData.At(0)));
        Assert.True(await inbox.TryRecordAsync(longest, ContractTestData.At(0)));
        Assert.True(await inbox.ContainsAsync(longest));
    }
}
