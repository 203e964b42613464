using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Xunit;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>
/// The contract every <see cref="IJobStore"/> must meet: schedules with compare-and-set, leases with fencing tokens on the
/// store's clock, and job results. Derive from it in the store's test assembly; the store's clock must be the real one.
/// </summary>
public abstract class JobStoreContractTests
{
    /// <summary>Gets how many tasks the concurrency facts start at once.</summary>
    /// <value>The default value is 32.</value>
    protected virtual int Concurrency => 32;

    /// <summary>Creates the store under test, ready to use.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<IJobStore> CreateStoreAsync();

    /// <summary>Creates a schedule with every property set to a value other than its default.</summary>
    /// <param name="id">The id.</param>
    /// <param name="campaignId">The campaign.</param>
    /// <returns>The schedule.</returns>
    protected static JobSchedule NewSchedule(string id, string campaignId) => new()
    {
        Id = id,
        CampaignId = campaignId,
        JobKind = JobKinds.Nurture,
        Cron = "*/5 8-18 * * 1-5",
        TimeZone = "America/New_York",
        Enabled = false,
        Misfire = MisfirePolicy.CatchUp,
        MisfireThreshold = TimeSpan.FromMinutes(7),
        MaxCatchUp = 4,
        Retry = new JobRetryPolicy { MaxRetries = 5, BaseDelay = TimeSpan.FromSeconds(3), MaxDelay = TimeSpan.FromMinutes(2), UseJitter = false },
        MaxLeads = 12_345,
        NextFireAt = ContractTestData.At(1),
        Version = 3,
        UpdatedAt = ContractTestData.At(2),
    };

    /// <summary>Creates a result of a fire.</summary>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="scheduleId">The schedule.</param>
    /// <param name="scheduledAt">The occurrence.</param>
    /// <param name="attempt">The attempt.</param>
    /// <returns>The result.</returns>
    protected static JobResult NewResult(string campaignId, string? scheduleId, DateTimeOffset scheduledAt, int attempt = 1) => new()
    {
        Id = Guid.NewGuid(),
        ScheduleId = scheduleId,
        CampaignId = campaignId,
        JobKind = JobKinds.Pipeline,
        Status = JobStatus.CompletedWithErrors,
        ScheduledAt = scheduledAt,
        StartedAt = scheduledAt.AddSeconds(1),
        CompletedAt = scheduledAt.AddMinutes(3),
        Attempt = attempt,
        RunId = Guid.NewGuid(),
        LeadsProcessed = 1000,
        Qualified = 250,
        Contacted = 90,
        Error = ContractTestData.NonAscii,
        Host = "host-a",
        FencingToken = 17,
    };

    /// <summary>A schedule reads back unchanged, every property included.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAddScheduleAsync_New_ReadsBackUnchanged()
    {
        var store = await CreateStoreAsync();
        var schedule = NewSchedule("s-" + Guid.NewGuid().ToString("N"), ContractTestData.NewCampaignId());

        Assert.True(await store.TryAddScheduleAsync(schedule));

        Assert.Equal(schedule, await store.GetScheduleAsync(schedule.Id));
        Assert.False(await store.TryAddScheduleAsync(schedule with { CampaignId = "other" }));
        Assert.Equal(schedule, await store.GetScheduleAsync(schedule.Id));
        Assert.Null(await store.GetScheduleAsync("missing-" + Guid.NewGuid().ToString("N")));
    }

    /// <summary>An update applies only at the version the caller read.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateScheduleAsync_StaleVersion_IsRefused()
    {
        var store = await CreateStoreAsync();
        var schedule = NewSchedule("s-" + Guid.NewGuid().ToString("N"), ContractTestData.NewCampaignId());
        await store.TryAddScheduleAsync(schedule);
        var next = schedule with { Enabled = true, NextFireAt = ContractTestData.At(60_000), Version = 4 };

        Assert.False(await store.UpdateScheduleAsync(next, expectedVersion: 2));
        Assert.True(await store.UpdateScheduleAsync(next, expectedVersion: 3));
        Assert.False(await store.UpdateScheduleAsync(next with { Version = 5 }, expectedVersion: 3));

        Assert.Equal(next, await store.GetScheduleAsync(schedule.Id));
        Assert.False(await store.UpdateScheduleAsync(next with { Id = "missing-" + Guid.NewGuid().ToString("N") }, expectedVersion: 4));
    }

    /// <summary>Of many hosts claiming the same occurrence at once, exactly one wins.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task UpdateScheduleAsync_ConcurrentClaims_ExactlyOneWins()
    {
        var store = await CreateStoreAsync();
        var schedule = NewSchedule("s-" + Guid.NewGuid().ToString("N"), ContractTestData.NewCampaignId());
        await store.TryAddScheduleAsync(schedule);

        var won = await Concurrently.RunAsync(
            Enumerable.Range(0, Concurrency).ToList(),
            async i => await store.UpdateScheduleAsync(schedule with { Version = 4, UpdatedAt = ContractTestData.At(i) }, 3));

        Assert.Single(won, w => w);
    }

    /// <summary>Schedules list by campaign, ordered by id; a deleted one is gone.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ListSchedulesAsync_ByCampaign_OrderedByIdWithoutTheDeleted()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var prefix = "s-" + Guid.NewGuid().ToString("N");
        foreach (var id in new[] { "c", "a", "b" })
        {
            await store.TryAddScheduleAsync(NewSchedule(prefix + id, campaign));
        }

        await store.TryAddScheduleAsync(NewSchedule(prefix + "z", ContractTestData.NewCampaignId()));

        Assert.True(await store.DeleteScheduleAsync(prefix + "b"));
        Assert.False(await store.DeleteScheduleAsync(prefix + "b"));

        Assert.Equal([prefix + "a", prefix + "c"], (await store.ListSchedulesAsync(campaign)).Select(s => s.Id));
        var all = (await store.ListSchedulesAsync()).Select(s => s.Id).Where(id => id.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal([prefix + "a", prefix + "c", prefix + "z"], all);
    }

    /// <summary>A live lease is not given to anyone else; of many hosts asking at once, exactly one gets it.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAcquireLeaseAsync_ConcurrentHosts_ExactlyOneHoldsIt()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();

        var leases = await Concurrently.RunAsync(
            Enumerable.Range(0, Concurrency).ToList(),
            async i => await store.TryAcquireLeaseAsync(campaign, JobKinds.Pipeline, "host-" + i, TimeSpan.FromMinutes(5)));

        var lease = Assert.Single(leases, l => l is not null)!;
        Assert.Equal((campaign, JobKinds.Pipeline, 1L, (Guid?)null), (lease.CampaignId, lease.JobKind, lease.FencingToken, lease.InterruptedRunId));
        var now = await store.GetUtcNowAsync();
        Assert.InRange(lease.ExpiresAt, now.AddMinutes(4), now.AddMinutes(5).AddSeconds(1));
        Assert.Equal(lease with { InterruptedRunId = null }, await store.GetLeaseAsync(campaign, JobKinds.Pipeline));
        Assert.NotNull(await store.TryAcquireLeaseAsync(campaign, JobKinds.Nurture, "host-x", TimeSpan.FromMinutes(5)));
        Assert.Null(await store.GetLeaseAsync(ContractTestData.NewCampaignId(), JobKinds.Pipeline));
    }

    /// <summary>A lease that expired goes to the next host with a larger token, which learns the run its holder reported.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryAcquireLeaseAsync_AfterExpiry_TakesOverWithLargerTokenAndTheInterruptedRun()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var first = (await store.TryAcquireLeaseAsync(campaign, JobKinds.Pipeline, "host-a", TimeSpan.FromMinutes(5)))!;
        var runId = Guid.NewGuid();
        var renewed = (await store.RenewLeaseAsync(first, TimeSpan.FromMilliseconds(300), runId))!;
        Assert.Equal((runId, first.FencingToken), (renewed.RunId!.Value, renewed.FencingToken));
        Assert.Null(await store.TryAcquireLeaseAsync(campaign, JobKinds.Pipeline, "host-b", TimeSpan.FromMinutes(5)));

        await Task.Delay(TimeSpan.FromMilliseconds(700));
        var second = (await store.TryAcquireLeaseAsync(campaign, JobKinds.Pipeline, "host-b", TimeSpan.FromMinutes(5)))!;

        Assert.Equal(("host-b", runId), (second.Owner, second.InterruptedRunId!.Value));
        Assert.True(second.FencingToken > first.FencingToken);
        Assert.Null(await store.RenewLeaseAsync(first, TimeSpan.FromMinutes(5)));
        Assert.False(await store.ReleaseLeaseAsync(first));
    }

    /// <summary>A released lease goes at once to the next host, with a larger token and no interrupted run.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ReleaseLeaseAsync_ThenAcquire_NoInterruptedRun()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var first = (await store.TryAcquireLeaseAsync(campaign, JobKinds.Nurture, "host-a", TimeSpan.FromMinutes(5)))!;
        await store.RenewLeaseAsync(first, TimeSpan.FromMinutes(5), Guid.NewGuid());

        Assert.True(await store.ReleaseLeaseAsync(first));
        Assert.False(await store.ReleaseLeaseAsync(first));
        Assert.Null(await store.RenewLeaseAsync(first, TimeSpan.FromMinutes(5)));
        var second = (await store.TryAcquireLeaseAsync(campaign, JobKinds.Nurture, "host-b", TimeSpan.FromMinutes(5)))!;

        Assert.Equal((first.FencingToken + 1, (Guid?)null), (second.FencingToken, second.InterruptedRunId));
    }

    /// <summary>A result written under a lease is kept only while the lease's token is current; results without a fence always are.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AppendResultAsync_FencedByATakenOverLease_IsRefused()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var first = (await store.TryAcquireLeaseAsync(campaign, JobKinds.Pipeline, "host-a", TimeSpan.FromMilliseconds(300)))!;
        Assert.True(await store.AppendResultAsync(NewResult(campaign, "s", ContractTestData.At(0)), first));

        await Task.Delay(TimeSpan.FromMilliseconds(700));
        var second = (await store.TryAcquireLeaseAsync(campaign, JobKinds.Pipeline, "host-b", TimeSpan.FromMinutes(5)))!;

        Assert.False(await store.AppendResultAsync(NewResult(campaign, "s", ContractTestData.At(1000)), first));
        Assert.True(await store.AppendResultAsync(NewResult(campaign, "s", ContractTestData.At(2000)), second));
        Assert.True(await store.AppendResultAsync(NewResult(campaign, "s", ContractTestData.At(3000)) with { Status = JobStatus.Skipped }));
        Assert.Equal(
            [ContractTestData.At(3000), ContractTestData.At(2000), ContractTestData.At(0)],
            (await store.QueryResultsAsync(new JobResultQuery { CampaignId = campaign })).Select(r => r.ScheduledAt));
    }

    /// <summary>Results read back unchanged, newest occurrence and attempt first, by campaign and schedule, a page at a time.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task QueryResultsAsync_ByCampaignAndSchedule_NewestFirstInPages()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var a1 = NewResult(campaign, "a", ContractTestData.At(0));
        var a2 = NewResult(campaign, "a", ContractTestData.At(0), attempt: 2);
        var a3 = NewResult(campaign, "a", ContractTestData.At(60_000));
        var b = NewResult(campaign, "b", ContractTestData.At(30_000)) with { ScheduleId = null, Error = null, RunId = null, StartedAt = null };
        foreach (var result in new[] { a2, b, a3, a1 })
        {
            Assert.True(await store.AppendResultAsync(result));
        }

        await store.AppendResultAsync(NewResult(ContractTestData.NewCampaignId(), "a", ContractTestData.At(0)));

        Assert.Equal([a3, b, a2, a1], await store.QueryResultsAsync(new JobResultQuery { CampaignId = campaign }));
        Assert.Equal([a3, a2, a1], await store.QueryResultsAsync(new JobResultQuery { CampaignId = campaign, ScheduleId = "a" }));
        Assert.Equal([b, a2], await store.QueryResultsAsync(new JobResultQuery { CampaignId = campaign, Skip = 1, Take = 2 }));
        Assert.Equal(TimeSpan.FromSeconds(179), a3.Duration);
    }

    /// <summary>Retention deletes the results that completed before the cutoff, of every campaign, and keeps the rest.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task DeleteResultsBeforeAsync_RemovesOnlyOlderResults()
    {
        var store = await CreateStoreAsync();
        var campaign = ContractTestData.NewCampaignId();
        var old = ContractTestData.BaseTime.AddYears(-30);
        await store.AppendResultAsync(NewResult(campaign, "a", old));
        await store.AppendResultAsync(NewResult(campaign, "a", old.AddDays(2)));
        var kept = NewResult(campaign, "a", old.AddDays(10));
        await store.AppendResultAsync(kept);

        var deleted = await store.DeleteResultsBeforeAsync(old.AddDays(5));

        Assert.True(deleted >= 2);
        Assert.Equal([kept], await store.QueryResultsAsync(new JobResultQuery { CampaignId = campaign }));
    }

    /// <summary>The store's clock is the real time (within a few minutes: a server's clock may differ from this machine's a little).</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetUtcNowAsync_IsTheCurrentTime()
    {
        var store = await CreateStoreAsync();

        var now = await store.GetUtcNowAsync();

        Assert.InRange(now, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    /// <summary>Creates a planned retry.</summary>
    /// <param name="scheduleId">The schedule.</param>
    /// <param name="dueAt">When it is due.</param>
    /// <returns>The retry.</returns>
    protected static PlannedRetry NewRetry(string scheduleId, DateTimeOffset dueAt) => new()
    {
        Id = Guid.NewGuid(),
        ScheduleId = scheduleId,
        CampaignId = ContractTestData.NewCampaignId(),
        JobKind = JobKinds.Backlog,
        ScheduledAt = dueAt.AddMinutes(-5),
        Attempt = 3,
        DueAt = dueAt,
        Error = ContractTestData.NonAscii,
        Host = "host-a",
    };

    /// <summary>Planned retries read back unchanged, earliest due first, and per schedule.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AddRetryAsync_ReadsBackUnchanged_EarliestDueFirst()
    {
        var store = await CreateStoreAsync();
        var schedule = "s-" + Guid.NewGuid().ToString("N");
        var later = NewRetry(schedule, ContractTestData.At(7_200));
        var sooner = NewRetry(schedule, ContractTestData.At(3_600));
        var other = NewRetry("s-" + Guid.NewGuid().ToString("N"), ContractTestData.At(60));

        await store.AddRetryAsync(later);
        await store.AddRetryAsync(sooner);
        await store.AddRetryAsync(other);
        await store.AddRetryAsync(later);

        Assert.Equal([sooner, later], await store.ListRetriesAsync(schedule));
        var all = (await store.ListRetriesAsync()).Where(r => r.Id == later.Id || r.Id == sooner.Id || r.Id == other.Id).ToList();
        Assert.Equal([other, sooner, later], all);
    }

    /// <summary>Of many hosts taking the same due retry at once, exactly one gets it; then it is gone.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryTakeRetryAsync_ConcurrentTakers_ExactlyOneWins()
    {
        var store = await CreateStoreAsync();
        var retry = NewRetry("s-" + Guid.NewGuid().ToString("N"), ContractTestData.At(1));
        await store.AddRetryAsync(retry);

        var taken = await Concurrently.RunAsync(Enumerable.Range(0, Concurrency).ToList(), async _ => await store.TryTakeRetryAsync(retry.Id));

        Assert.Single(taken, t => t);
        Assert.Empty(await store.ListRetriesAsync(retry.ScheduleId));
        Assert.False(await store.TryTakeRetryAsync(retry.Id));
    }
}
