using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class InterruptedRunTakeoverTests
{
    private static IEnumerable<LeadCandidate> Good(int count) => Enumerable.Range(0, count).Select(i => TestPipeline.GoodCandidate(i));

    [Fact]
    public async Task Start_SameCampaignAfterACancelledRun_TakesOverItsUnfinishedLeads()
    {
        // The first run stalls in a stage and is cancelled with leads in flight; the next run of the campaign finishes them.
        var stall = true;
        var gate = new ProbeStage("gate", async (_, ct) =>
        {
            if (Volatile.Read(ref stall))
            {
                await Task.Delay(Timeout.Infinite, ct);
            }

            return StageResult.Continue();
        });
        await using var t = TestPipeline.Create(
            new InMemoryLeadSource("crm", Good(30)),
            o =>
            {
                o.CancellationDrainTimeout = TimeSpan.FromMilliseconds(50);
                o.StageTimeout = Timeout.InfiniteTimeSpan;
            },
            b => b.AddStage(gate, StageNames.Score));
        var first = t.Pipeline.Start(new PipelineRunRequest { CampaignId = "takeover" });
        while (first.Progress.Stages.Single(s => s.Name == "gate").In < 2)
        {
            await Task.Delay(5);
        }

        first.Cancel();
        var cancelled = await first.Completion;
        Volatile.Write(ref stall, false);
        var second = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "takeover" });

        Assert.Equal(PipelineRunStatus.Cancelled, cancelled.Status);
        Assert.Equal(30, cancelled.Pending);
        Assert.Equal(30, second.Resumed);
        Assert.Equal(30, second.Duplicates);  // the source yields the same people again
        Assert.Equal(30, second.Contacted);
        Assert.True(second.IsBalanced);
        Assert.Equal(30, t.Sender.Count);
        Assert.Empty(t.Sender.DuplicateKeys);
        Assert.Equal(30, await t.Leads.CountAsync("takeover", LeadStatus.Contacted));
        var record = await t.Runs.GetAsync(cancelled.RunId);
        Assert.Equal(second.RunId, record!.TakenOverBy);

        // Every lead now answers to the run that finished it, and its trail has no gap.
        var lead = (await t.Leads.QueryAsync(new LeadQuery { CampaignId = "takeover" }))[0];
        Assert.Equal(second.RunId, lead.RunId);
        var trail = await t.Audit.ReadAsync(lead.Id);
        Assert.Equal(Enumerable.Range(1, trail.Count).Select(i => (long)i), trail.Select(e => e.Sequence));

        // A third run finds nothing left to take over.
        var third = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "takeover" });
        Assert.Equal(0, third.Resumed);
    }

    [Theory]
    [InlineData(10, true)]    // its process stopped writing the record ten minutes ago: dead
    [InlineData(0, false)]    // written just now: another host is still running it
    public async Task Start_RunLeftRunning_IsTakenOverOnlyWhenItsRecordWentStale(int minutesSinceUpdate, bool takenOver)
    {
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", []));
        var now = DateTimeOffset.UtcNow;
        var orphan = new RunRecord
        {
            RunId = Guid.NewGuid(),
            CampaignId = "orphan",
            Status = PipelineRunStatus.Running,
            StartedAt = now.AddMinutes(-minutesSinceUpdate - 1),
            UpdatedAt = now.AddMinutes(-minutesSinceUpdate),
        };
        await t.Runs.SaveAsync(orphan);
        var lead = new Lead
        {
            Id = Guid.NewGuid(), CampaignId = "orphan", IdentityKey = "e:ada1@acme-corp.com", RunId = orphan.RunId, Version = 1,
            Email = "ada1@acme-corp.com", FirstName = "Ada", LastName = "Lovelace", Title = "CTO", CompanySize = 2000, Industry = "Software",
            CompanyName = "Acme", CompanyDomain = "acme-corp.com", Country = "US", Phone = "+1 555 0100", CreatedAt = now, UpdatedAt = now,
        };
        await t.Leads.TryAddAsync(lead);
        await t.Audit.AppendAsync(new AuditEvent(lead.Id, "orphan", orphan.RunId, 1, StageNames.Dedup, null, LeadStatus.New, "harvested", now));

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "orphan" });

        Assert.Equal(takenOver ? 1 : 0, result.Resumed);
        Assert.True(result.IsBalanced);
        var stored = await t.Leads.GetAsync(lead.Id);
        Assert.Equal(takenOver ? LeadStatus.Contacted : LeadStatus.New, stored!.Status);
        Assert.Equal(takenOver ? result.RunId : null, (await t.Runs.GetAsync(orphan.RunId))!.TakenOverBy);
    }

    [Fact]
    public async Task Start_WithResumeInterruptedRunsOff_LeavesInterruptedRunsAlone()
    {
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", []), o => o.ResumeInterruptedRuns = false);
        var cancelled = new RunRecord
        {
            RunId = Guid.NewGuid(), CampaignId = "manual", Status = PipelineRunStatus.Cancelled,
            StartedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
        };
        await t.Runs.SaveAsync(cancelled);

        await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "manual" });

        Assert.Null((await t.Runs.GetAsync(cancelled.RunId))!.TakenOverBy);
    }

    [Fact]
    public async Task Start_TwoRunsAtOnceAfterACancelledRun_ExactlyOneTakesItOver()
    {
        // Both runs list the campaign's runs, and both try to take the cancelled run, before either goes on; a slow stage keeps
        // the leads in flight while both load what they took.
        var runs = new TakeoverGate(new InMemoryRunRepository(), callers: 2);
        var slow = new ProbeStage("slow", async (_, ct) =>
        {
            await Task.Delay(20, ct);
            return StageResult.Continue();
        });
        await using var t = TestPipeline.Create(
            new InMemoryLeadSource("crm", []),
            build: b => b.AddStage(slow, StageNames.Score).Services.AddSingleton<IRunRepository>(runs));
        var now = DateTimeOffset.UtcNow;
        var cancelled = new RunRecord { RunId = Guid.NewGuid(), CampaignId = "race", Status = PipelineRunStatus.Cancelled, StartedAt = now, UpdatedAt = now };
        await runs.SaveAsync(cancelled);
        for (var i = 0; i < 5; i++)
        {
            var lead = DedupExecutor.CreateLead(
                TestPipeline.GoodCandidate(i), "crm", new StageContext(cancelled.RunId, "race", StageNames.Dedup, TimeProvider.System, false),
                $"e:ada{i}@acme-corp.com", now);
            await t.Leads.TryAddAsync(lead);
            await t.Audit.AppendAsync(new AuditEvent(lead.Id, "race", cancelled.RunId, 1, StageNames.Dedup, null, LeadStatus.New, "harvested", now));
        }

        var results = await Task.WhenAll(
            t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "race" }),
            t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "race" }));

        Assert.Equal(2, runs.Listed);
        var taker = Assert.Single(results, r => r.Resumed > 0);
        Assert.Equal(5, taker.Resumed);
        Assert.Equal(5, taker.Contacted);
        Assert.Equal(0, results.Single(r => r != taker).Resumed);
        Assert.All(results, r => Assert.True(r.IsBalanced));
        Assert.Equal(taker.RunId, (await runs.GetAsync(cancelled.RunId))!.TakenOverBy);
        Assert.Equal(5, t.Sender.Count);
    }

    [Fact]
    public async Task Finish_LeadChangedByAnotherWriter_IsCountedPendingNotAsAnOutcome()
    {
        // A stage that lets another writer store a newer version of one lead first (a run that took this one over).
        TestPipeline? t = null;
        var stolen = 0;
        var steal = new ProbeStage("steal", async (lead, ct) =>
        {
            if (Interlocked.Exchange(ref stolen, 1) == 0)
            {
                var stored = (await t!.Leads.GetAsync(lead.Id, ct))!;
                var newer = stored.Clone();
                newer.Version = stored.Version + 1;
                Assert.True(await t.Leads.UpdateAsync(newer, stored.Version, ct));
            }

            return StageResult.Continue();
        });
        await using var pipeline = TestPipeline.Create(new InMemoryLeadSource("crm", Good(10)), build: b => b.AddStage(steal, StageNames.Score));
        t = pipeline;

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "stolen" });

        Assert.Equal(9, result.Contacted);
        Assert.Equal(1, result.Pending);
        Assert.True(result.IsBalanced);
    }

    [Fact]
    public async Task Start_AnotherRunMovesItsLeadsOnWhileTheTakerReads_EveryTakenLeadIsResumed()
    {
        // 1,500 leads in New, one in three left by a cancelled run, the rest belonging to a live run on another host that moves
        // its leads on while this run reads (here: as soon as this run has read them).
        var now = DateTimeOffset.UtcNow;
        var cancelled = new RunRecord { RunId = Guid.NewGuid(), CampaignId = "moving", Status = PipelineRunStatus.Cancelled, StartedAt = now, UpdatedAt = now };
        var live = new RunRecord { RunId = Guid.NewGuid(), CampaignId = "moving", Status = PipelineRunStatus.Running, StartedAt = now, UpdatedAt = now };
        var leads = new MovingLeads(new InMemoryLeadRepository(), live.RunId);
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", []), build: b => b.Services.AddSingleton<ILeadRepository>(leads));
        await t.Runs.SaveAsync(cancelled);
        await t.Runs.SaveAsync(live);
        var taken = new List<Guid>();
        for (var i = 0; i < 1500; i++)
        {
            var owner = i % 3 == 0 ? cancelled.RunId : live.RunId;
            var lead = DedupExecutor.CreateLead(
                TestPipeline.GoodCandidate(i), "crm", new StageContext(owner, "moving", StageNames.Dedup, TimeProvider.System, false),
                $"e:ada{i}@acme-corp.com", now.AddTicks(i));
            await leads.TryAddAsync(lead);
            await t.Audit.AppendAsync(new AuditEvent(lead.Id, "moving", owner, 1, StageNames.Dedup, null, LeadStatus.New, "harvested", lead.CreatedAt));
            if (owner == cancelled.RunId)
            {
                taken.Add(lead.Id);
            }
        }

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "moving" });

        Assert.Equal(500, result.Resumed);
        Assert.Equal(500, result.Contacted);
        Assert.True(result.IsBalanced);
        foreach (var id in taken)
        {
            Assert.Equal(LeadStatus.Contacted, (await leads.GetAsync(id))!.Status);
        }
    }

    [Fact]
    public async Task Start_TakingOverLeadsThatNeverMoved_RecordsTheirCreationWithoutReadingTrails()
    {
        // Ten leads left in New by a cancelled run; the process died before recording the creation of the last four.
        var audit = new CountingAuditLog(new InMemoryAuditLog());
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", []), build: b => b.Services.AddSingleton<IAuditLog>(audit));
        var now = DateTimeOffset.UtcNow;
        var cancelled = new RunRecord { RunId = Guid.NewGuid(), CampaignId = "unread", Status = PipelineRunStatus.Cancelled, StartedAt = now, UpdatedAt = now };
        await t.Runs.SaveAsync(cancelled);
        var ids = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            var lead = DedupExecutor.CreateLead(
                TestPipeline.GoodCandidate(i), "crm", new StageContext(cancelled.RunId, "unread", StageNames.Dedup, TimeProvider.System, false),
                $"e:ada{i}@acme-corp.com", now);
            await t.Leads.TryAddAsync(lead);
            if (i < 6)
            {
                await audit.AppendAsync(new AuditEvent(lead.Id, "unread", cancelled.RunId, 1, StageNames.Dedup, null, LeadStatus.New, "harvested", now));
            }

            ids.Add(lead.Id);
        }

        var result = await t.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "unread" });

        Assert.Equal(10, result.Resumed);
        Assert.Equal(0, audit.Reads);
        foreach (var id in ids)
        {
            var lead = (await t.Leads.GetAsync(id))!;
            var trail = await audit.ReadAsync(id);
            Assert.Equal(Enumerable.Range(1, (int)lead.Version).Select(i => (long)i), trail.Select(e => e.Sequence));
            Assert.Equal((StageNames.Dedup, LeadStatus.New, cancelled.RunId), (trail[0].Stage, trail[0].To, trail[0].RunId));
        }
    }

    /// <summary>Counts the trails read through it.</summary>
    private sealed class CountingAuditLog(InMemoryAuditLog inner) : IAuditLog
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) => inner.AppendAsync(auditEvent, cancellationToken);

        public ValueTask AppendManyAsync(ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken = default) =>
            ((IAuditLog)inner).AppendManyAsync(auditEvents, cancellationToken);

        public ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(Guid leadId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return inner.ReadAsync(leadId, cancellationToken);
        }
    }

    /// <summary>A lead store in which another host moves its run's leads from New to Enriched as soon as a page shows them.</summary>
    private sealed class MovingLeads(InMemoryLeadRepository inner, Guid otherRun) : ILeadRepository
    {
        public ValueTask<bool> TryAddAsync(Lead lead, CancellationToken cancellationToken = default) => inner.TryAddAsync(lead, cancellationToken);

        public ValueTask TryAddManyAsync(ReadOnlyMemory<Lead> leads, Memory<bool> added, CancellationToken cancellationToken = default) =>
            ((ILeadRepository)inner).TryAddManyAsync(leads, added, cancellationToken);

        public ValueTask<bool> UpdateAsync(Lead lead, long expectedVersion, CancellationToken cancellationToken = default) =>
            inner.UpdateAsync(lead, expectedVersion, cancellationToken);

        public ValueTask UpdateManyAsync(ReadOnlyMemory<LeadUpdate> updates, Memory<bool> updated, CancellationToken cancellationToken = default) =>
            ((ILeadRepository)inner).UpdateManyAsync(updates, updated, cancellationToken);

        public ValueTask<Lead?> GetAsync(Guid leadId, CancellationToken cancellationToken = default) => inner.GetAsync(leadId, cancellationToken);

        public ValueTask<Lead?> FindByIdentityAsync(string campaignId, string identityKey, CancellationToken cancellationToken = default) =>
            inner.FindByIdentityAsync(campaignId, identityKey, cancellationToken);

        public async ValueTask<IReadOnlyList<Lead>> QueryAsync(LeadQuery query, CancellationToken cancellationToken = default) =>
            await MoveOnAsync(await inner.QueryAsync(query, cancellationToken));

        public async ValueTask<IReadOnlyList<Lead>> ListByRunAsync(LeadRunQuery query, CancellationToken cancellationToken = default) =>
            await MoveOnAsync(await inner.ListByRunAsync(query, cancellationToken));

        public ValueTask<long> CountAsync(string campaignId, LeadStatus? status = null, CancellationToken cancellationToken = default) =>
            inner.CountAsync(campaignId, status, cancellationToken);

        public ValueTask<IReadOnlyDictionary<LeadStatus, long>> CountByStatusAsync(string campaignId, Guid? runId = null, CancellationToken cancellationToken = default) =>
            inner.CountByStatusAsync(campaignId, runId, cancellationToken);

        private async ValueTask<IReadOnlyList<Lead>> MoveOnAsync(IReadOnlyList<Lead> page)
        {
            foreach (var lead in page.Where(l => l.RunId == otherRun && l.Status == LeadStatus.New))
            {
                var moved = lead.Clone();
                moved.Status = LeadStatus.Enriched;
                moved.Version = lead.Version + 1;
                await inner.UpdateAsync(moved, lead.Version);
            }

            return page;
        }
    }

    /// <summary>
    /// Holds every run's <see cref="ListAsync"/>, and then every attempt to take a run over, until <c>callers</c> runs have made
    /// it, so that they all read the same list and all try before any goes on.
    /// </summary>
    private sealed class TakeoverGate(InMemoryRunRepository inner, int callers) : IRunRepository
    {
        private readonly TaskCompletionSource _listed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _tried = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _lists;
        private int _tries;

        public int Listed => Volatile.Read(ref _lists);

        public async ValueTask<bool> SaveAsync(RunRecord run, CancellationToken cancellationToken = default)
        {
            if (run.TakenOverBy is { } by && by != run.RunId)
            {
                // A run taking another over by rewriting its record (not a compare-and-set).
                await ArriveAsync(ref _tries, _tried, cancellationToken);
            }

            return await inner.SaveAsync(run, cancellationToken);
        }

        public async ValueTask<bool> TryTakeOverAsync(Guid runId, Guid takerRunId, DateTimeOffset staleBefore, DateTimeOffset now, CancellationToken cancellationToken = default)
        {
            await ArriveAsync(ref _tries, _tried, cancellationToken);
            return await inner.TryTakeOverAsync(runId, takerRunId, staleBefore, now, cancellationToken);
        }

        public ValueTask<RunRecord?> GetAsync(Guid runId, CancellationToken cancellationToken = default) => inner.GetAsync(runId, cancellationToken);

        public async ValueTask<IReadOnlyList<RunRecord>> ListAsync(string campaignId, CancellationToken cancellationToken = default)
        {
            var list = await inner.ListAsync(campaignId, cancellationToken);
            await ArriveAsync(ref _lists, _listed, cancellationToken);
            return list;
        }

        private Task ArriveAsync(ref int count, TaskCompletionSource all, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref count) == callers)
            {
                all.TrySetResult();
            }

            return all.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
    }
}
