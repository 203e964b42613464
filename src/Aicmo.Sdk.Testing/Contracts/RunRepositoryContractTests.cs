using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;
using Xunit;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>The contract every <see cref="IRunRepository"/> must meet. Derive from it in the store's test assembly.</summary>
public abstract class RunRepositoryContractTests
{
    /// <summary>Gets how many tasks the concurrency facts start at once.</summary>
    /// <value>The default value is 64.</value>
    protected virtual int Concurrency => 64;

    /// <summary>Creates the store under test, ready to use.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<IRunRepository> CreateStoreAsync();

    /// <summary>Creates a finished run with two stages and an error.</summary>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="startedAt">When it started.</param>
    /// <param name="text">Text for stage names and errors.</param>
    /// <returns>The record.</returns>
    protected static RunRecord NewRun(string campaignId, DateTimeOffset startedAt, string text = "source failed") => new()
    {
        RunId = Guid.CreateVersion7(startedAt),
        CampaignId = campaignId,
        Status = PipelineRunStatus.CompletedWithErrors,
        StartedAt = startedAt,
        CompletedAt = startedAt.AddSeconds(42),
        Harvested = 1_000_000,
        Duplicates = 12,
        Stages =
        [
            new StageStatistics { Name = "harvest", In = 1_000_000, Out = 1_000_000, Duration = TimeSpan.FromTicks(123_456_789), Failed = true },
            new StageStatistics
            {
                Name = text, In = 999_988, Out = 1, Duplicates = 2, Disqualified = 3, ManualReview = 4, Routed = 5, Contacted = 6, Suppressed = 7,
                Quarantined = 8, Pending = 9, QueueDepth = 10, Duration = TimeSpan.FromMilliseconds(1.5), BusyTime = TimeSpan.FromDays(2),
            },
        ],
        Errors = [text, "harvest/csv: System.IO.IOException: disk gone"],
    };

    /// <summary>A saved run reads back unchanged, with every stage's counts and every error.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task SaveAsync_NewRun_ReadsBackUnchanged()
    {
        var store = await CreateStoreAsync();
        var run = NewRun(ContractTestData.NewCampaignId(), ContractTestData.BaseTime);

        await store.SaveAsync(run);

        ContractAssert.RunEqual(run, await store.GetAsync(run.RunId));
    }

    /// <summary>Saving a run again replaces the stored record (the checkpoint moves on).</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task SaveAsync_ExistingRun_ReplacesRecord()
    {
        var store = await CreateStoreAsync();
        var running = NewRun(ContractTestData.NewCampaignId(), ContractTestData.BaseTime) with
        {
            Status = PipelineRunStatus.Running, CompletedAt = null, Harvested = 0, Stages = [], Errors = [],
        };
        await store.SaveAsync(running);
        var finished = running with { Status = PipelineRunStatus.Completed, CompletedAt = ContractTestData.At(5000), Harvested = 10 };

        await store.SaveAsync(finished);

        ContractAssert.RunEqual(finished, await store.GetAsync(running.RunId));
        Assert.Single(await store.ListAsync(running.CampaignId));
    }

    /// <summary>An unknown run reads as null.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetAsync_Missing_ReturnsNull()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync(Guid.NewGuid()));
    }

    /// <summary>A campaign's runs are listed newest first, and only that campaign's.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ListAsync_ReturnsCampaignRunsNewestFirst()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var runs = new[] { 3, 1, 4, 0, 2 }.Select(i => NewRun(campaign, ContractTestData.At(i * 60_000))).ToList();
        foreach (var run in runs)
        {
            await store.SaveAsync(run);
        }

        await store.SaveAsync(NewRun(ContractTestData.NewCampaignId("other"), ContractTestData.At(10 * 60_000)));

        var listed = await store.ListAsync(campaign);

        Assert.Equal(runs.OrderByDescending(r => r.StartedAt).Select(r => r.RunId), listed.Select(r => r.RunId));
        Assert.Empty(await store.ListAsync(ContractTestData.NewCampaignId("none")));
    }

    /// <summary>Many runs saved at once are all stored.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task SaveAsync_ManyConcurrentWriters_StoresEveryRun()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var runs = Enumerable.Range(0, Concurrency).Select(i => NewRun(campaign, ContractTestData.At(i))).ToList();

        await Concurrently.RunAsync(runs, async r =>
        {
            await store.SaveAsync(r).ConfigureAwait(false);
            return true;
        });

        Assert.Equal(runs.Count, (await store.ListAsync(campaign)).Count);
    }

    /// <summary>Hostile text in stage names, errors and the campaign id round-trips unchanged.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task SaveAsync_HostileValues_RoundTripUnchanged()
    {
        var store = await CreateStoreAsync();
        foreach (var hostile in ContractTestData.HostileValues.Where(v => v.Length > 0))
        {
            var run = NewRun(hostile + Guid.NewGuid().ToString("N"), ContractTestData.BaseTime, hostile);

            await store.SaveAsync(run);

            ContractAssert.RunEqual(run, await store.GetAsync(run.RunId));
            ContractAssert.RunEqual(run, Assert.Single(await store.ListAsync(run.CampaignId)));
        }
    }

    /// <summary>A save after a takeover (the interrupted run's late heartbeat) keeps the takeover and tells the saver it lost its run.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task SaveAsync_AfterTakeOver_KeepsTakenOverByAndReportsTheLoss()
    {
        var store = await CreateStoreAsync();
        var running = NewRun(ContractTestData.NewCampaignId(), ContractTestData.BaseTime) with
        {
            Status = PipelineRunStatus.Running, CompletedAt = null, UpdatedAt = ContractTestData.BaseTime,
        };
        Assert.True(await store.SaveAsync(running));
        var taker = Guid.NewGuid();
        Assert.True(await store.TryTakeOverAsync(running.RunId, taker, ContractTestData.At(60_000), ContractTestData.At(60_000)));

        var stillOwned = await store.SaveAsync(running with { UpdatedAt = ContractTestData.At(61_000), Harvested = 7 });

        Assert.False(stillOwned);
        var stored = await store.GetAsync(running.RunId);
        Assert.Equal(taker, stored!.TakenOverBy);
        Assert.Equal(7, stored.Harvested);
    }

    /// <summary>Of many runs taking over the same interrupted run at once, exactly one wins, and the record names it.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryTakeOverAsync_ConcurrentTakers_ExactlyOneWins()
    {
        var store = await CreateStoreAsync();
        var cancelled = NewRun(ContractTestData.NewCampaignId(), ContractTestData.BaseTime) with { Status = PipelineRunStatus.Cancelled };
        await store.SaveAsync(cancelled);
        var takers = Enumerable.Range(0, Concurrency).Select(_ => Guid.NewGuid()).ToList();

        var won = await Concurrently.RunAsync(
            takers, async t => await store.TryTakeOverAsync(cancelled.RunId, t, ContractTestData.At(1), ContractTestData.At(1)).ConfigureAwait(false));

        Assert.Equal(1, won.Count(w => w));
        Assert.Equal(takers[Array.IndexOf(won, true)], (await store.GetAsync(cancelled.RunId))!.TakenOverBy);
    }

    /// <summary>Only an interrupted run is taken over: not a finished one, not one whose heartbeat is recent, not one taken over already.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryTakeOverAsync_RunNotInterrupted_IsRefused()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var staleBefore = ContractTestData.At(60_000);
        var completed = NewRun(campaign, ContractTestData.BaseTime) with { Status = PipelineRunStatus.Completed };
        var alive = NewRun(campaign, ContractTestData.At(1)) with { Status = PipelineRunStatus.Running, CompletedAt = null, UpdatedAt = staleBefore };
        var stale = NewRun(campaign, ContractTestData.At(2)) with { Status = PipelineRunStatus.Running, CompletedAt = null, UpdatedAt = ContractTestData.At(59_999) };
        foreach (var run in new[] { completed, alive, stale })
        {
            await store.SaveAsync(run);
        }

        var first = Guid.NewGuid();

        Assert.False(await store.TryTakeOverAsync(completed.RunId, first, staleBefore, staleBefore));
        Assert.False(await store.TryTakeOverAsync(alive.RunId, first, staleBefore, staleBefore));
        Assert.False(await store.TryTakeOverAsync(Guid.NewGuid(), first, staleBefore, staleBefore));
        Assert.True(await store.TryTakeOverAsync(stale.RunId, first, staleBefore, staleBefore));
        Assert.False(await store.TryTakeOverAsync(stale.RunId, Guid.NewGuid(), staleBefore, staleBefore));
        Assert.Null((await store.GetAsync(completed.RunId))!.TakenOverBy);
        Assert.Null((await store.GetAsync(alive.RunId))!.TakenOverBy);
        var taken = await store.GetAsync(stale.RunId);
        Assert.Equal(first, taken!.TakenOverBy);
        Assert.Equal(staleBefore, taken.UpdatedAt);
    }
}
