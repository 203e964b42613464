using Aicmo.Sdk.Storage;
using Xunit;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>The contract every <see cref="ILimitCounters"/> must meet. Derive from it in the store's test assembly.</summary>
public abstract class LimitCountersContractTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>Gets how many callers take a slot of one key at once in the concurrency test.</summary>
    protected virtual int Concurrency => 32;

    /// <summary>Creates the store under test, ready to use.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<ILimitCounters> CreateStoreAsync();

    private static string NewKey(string kind = "mailbox") => $"test/{kind}/{Guid.NewGuid():N}";

    private static DateTimeOffset Minutes(double minutes) => ContractTestData.At(minutes * 60_000);

    /// <summary>Slots are taken up to the maximum; the next caller is refused until the oldest slot leaves the window.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryTakeAsync_UpToTheMaximum_ThenRefusedUntilTheOldestSlotLeavesTheWindow()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        RollingLimit[] limit = [new(key, 3, Hour)];

        Assert.True((await store.TryTakeAsync(limit, Minutes(0))).Taken);
        Assert.True((await store.TryTakeAsync(limit, Minutes(10))).Taken);
        Assert.True((await store.TryTakeAsync(limit, Minutes(20))).Taken);

        var refused = await store.TryTakeAsync(limit, Minutes(30));
        Assert.Equal(new LimitOutcome(false, 0, Minutes(60)), refused);
        Assert.Equal(3, await store.CountAsync(key, Hour, Minutes(30)));
        Assert.False((await store.TryTakeAsync(limit, Minutes(59.9))).Taken);

        // At 60 minutes the slot taken at 0 counts no more.
        Assert.Equal(2, await store.CountAsync(key, Hour, Minutes(60)));
        Assert.Equal(new LimitOutcome(true, -1, Minutes(60)), await store.TryTakeAsync(limit, Minutes(60)));
        Assert.Equal(new LimitOutcome(false, 0, Minutes(70)), await store.TryTakeAsync(limit, Minutes(61)));
    }

    /// <summary>Several limits are taken together or not at all: a full mailbox takes nothing from its domain.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryTakeAsync_OneOfSeveralLimitsFull_TakesNothingAndNamesIt()
    {
        var store = await CreateStoreAsync();
        var mailbox = NewKey();
        var domain = NewKey("domain");
        RollingLimit[] limits = [new(domain, 10, Hour), new(mailbox, 2, Hour)];

        Assert.True((await store.TryTakeAsync(limits, Minutes(0))).Taken);
        Assert.True((await store.TryTakeAsync(limits, Minutes(1))).Taken);
        var refused = await store.TryTakeAsync(limits, Minutes(2));

        Assert.Equal(new LimitOutcome(false, 1, Minutes(60)), refused);
        Assert.Equal(2, await store.CountAsync(domain, Hour, Minutes(2)));
        Assert.Equal(2, await store.CountAsync(mailbox, Hour, Minutes(2)));

        // Another mailbox on the same domain still has room, and its slot counts against the domain.
        Assert.True((await store.TryTakeAsync(new RollingLimit[] { new(domain, 10, Hour), new(NewKey(), 2, Hour) }, Minutes(3))).Taken);
        Assert.Equal(3, await store.CountAsync(domain, Hour, Minutes(3)));
    }

    /// <summary>
    /// One key limited per hour and per day takes one slot per call; when both are full, the retry waits for the one that frees last.
    /// </summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryTakeAsync_OneKeyPerHourAndPerDay_CountsOneSlotAndWaitsForTheLaterLimit()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        RollingLimit[] limits = [new(key, 2, Hour), new(key, 3, Day)];

        Assert.True((await store.TryTakeAsync(limits, Minutes(0))).Taken);
        Assert.True((await store.TryTakeAsync(limits, Minutes(5))).Taken);
        Assert.Equal(2, await store.CountAsync(key, Day, Minutes(5)));
        Assert.Equal(new LimitOutcome(false, 0, Minutes(60)), await store.TryTakeAsync(limits, Minutes(6)));

        Assert.True((await store.TryTakeAsync(limits, Minutes(60))).Taken);
        Assert.Equal(3, await store.CountAsync(key, Day, Minutes(60)));

        // Two hours in, the hourly limit has room but the daily one is full until the first slot is a day old.
        Assert.Equal(new LimitOutcome(false, 1, Minutes(24 * 60)), await store.TryTakeAsync(limits, Minutes(120)));
        Assert.True((await store.TryTakeAsync(limits, Minutes(24 * 60))).Taken);
    }

    /// <summary>Many callers taking a slot of one key at the same moment: exactly as many as the limit get one.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryTakeAsync_ConcurrentCallers_NoMoreThanTheLimitGetASlot()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        const int Max = 5;

        var outcomes = await Concurrently.RunAsync(
            Enumerable.Range(0, Concurrency).ToList(),
            async i => await store.TryTakeAsync(new[] { new RollingLimit(key, Max, Hour) }, Minutes(i * 0.001)));

        Assert.Equal(Max, outcomes.Count(o => o.Taken));
        Assert.Equal(Max, await store.CountAsync(key, Hour, Minutes(1)));
        Assert.All(outcomes.Where(o => !o.Taken), o => Assert.Equal(0, o.Exceeded));
    }

    /// <summary>Keys are compared exactly: keys differing only in case are counted apart, and hostile text is a key like any other.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryTakeAsync_KeysDifferingOnlyInCase_AreCountedApart()
    {
        var store = await CreateStoreAsync();
        var suffix = Guid.NewGuid().ToString("N");
        string[] keys = ["Mailbox/" + suffix, "mailbox/" + suffix, ContractTestData.SqlText + suffix, ContractTestData.NonAscii + suffix];

        foreach (var key in keys)
        {
            Assert.True((await store.TryTakeAsync(new RollingLimit[] { new(key, 1, Hour) }, Minutes(0))).Taken);
        }

        foreach (var key in keys)
        {
            Assert.False((await store.TryTakeAsync(new RollingLimit[] { new(key, 1, Hour) }, Minutes(1))).Taken);
            Assert.Equal(1, await store.CountAsync(key, Hour, Minutes(1)));
        }
    }

    /// <summary>Pruning forgets the slots taken before the instant and nothing else.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task PruneAsync_ForgetsOnlyOlderSlots()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        foreach (var minute in new[] { 0, 1, 2, 30, 31 })
        {
            Assert.True((await store.TryTakeAsync(new RollingLimit[] { new(key, 100, Day) }, Minutes(minute))).Taken);
        }

        Assert.Equal(3, await store.PruneAsync(Minutes(30)));
        Assert.Equal(0, await store.PruneAsync(Minutes(30)));
        Assert.Equal(2, await store.CountAsync(key, Day, Minutes(32)));
    }

    /// <summary>An empty list, an empty key, a maximum below 1 or a window that is not positive is refused with an <see cref="ArgumentException"/>.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryTakeAsync_InvalidLimits_Throw()
    {
        var store = await CreateStoreAsync();
        var key = NewKey();
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.TryTakeAsync(ReadOnlyMemory<RollingLimit>.Empty, Minutes(0)));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.TryTakeAsync(new[] { new RollingLimit(string.Empty, 1, Hour) }, Minutes(0)));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.TryTakeAsync(new[] { new RollingLimit(key, 0, Hour) }, Minutes(0)));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.TryTakeAsync(new[] { new RollingLimit(key, 1, TimeSpan.Zero) }, Minutes(0)));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.TryTakeAsync(new[] { new RollingLimit(new string('k', ILimitCounters.MaxKeyLength + 1), 1, Hour) }, Minutes(0)));
        Assert.Equal(0, await store.CountAsync(key, Hour, Minutes(0)));
    }
}
