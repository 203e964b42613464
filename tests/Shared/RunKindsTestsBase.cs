using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Testing;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Storage.Tests;

/// <summary>
/// Harvest-only runs, backlog runs over stored leads, dry runs and run parameters on a real store. Every run must balance, the
/// store must hold what the counts say, and sends are counted per idempotency key.
/// </summary>
public abstract class RunKindsTestsBase
{
    private static readonly string[] AllStages = [StageNames.Enrich, StageNames.Score, StageNames.Qualify, StageNames.Route, StageNames.Nurture];

    /// <summary>Builds a pipeline on the store under test; <paramref name="pipeline"/> adds the sources, stages and the email sender.</summary>
    protected abstract (IServiceProvider Services, IAsyncDisposable Owner) Open(Action<IAicmoPipelineBuilder> pipeline);

    private static LeadCandidate Good(int i) => new()
    {
        ExternalId = "ext-" + i,
        FirstName = "Ada" + i,
        LastName = "Lovelace",
        Email = $"ada{i}@acme-corp.com",
        Title = "VP of Engineering",
        CompanyName = "Acme Corp",
        CompanyDomain = "acme-corp.com",
        Industry = "Software",
        CompanySize = 1200,
        Country = "US",
    };

    // 30 good candidates, 2 repeats of them, one carrying NUL (rejected) and one without an identity (disqualified at dedup).
    private static List<LeadCandidate> Mixed()
    {
        var list = Enumerable.Range(0, 30).Select(Good).ToList();
        list.Add(Good(3));
        list.Add(Good(4));
        var hostile = Good(100);
        hostile.Title = "VP\0";
        list.Add(hostile);
        list.Add(new LeadCandidate { ExternalId = "anon", FirstName = "Nobody" });
        return list;
    }

    private static void AssertBalanced(PipelineRunResult r) =>
        Assert.True(r.IsBalanced,
            $"not balanced: harvested {r.Harvested} + resumed {r.Resumed} + selected {r.Selected} vs rejected {r.Rejected} + duplicates {r.Duplicates} + disqualified {r.Disqualified} + review {r.ManualReview} + routed {r.Routed} + contacted {r.Contacted} + suppressed {r.Suppressed} + quarantined {r.Quarantined} + stored {r.Stored} + pending {r.Pending}");

    [StoreFact]
    public async Task HarvestOnly_ThenABacklogOfTheNewLeads_StoresEachLeadThenCarriesItOnOnceAndEveryRunBalances()
    {
        var sender = new RecordingEmailSender();
        var (services, owner) = Open(b => b.AddLeadSource(new InMemoryLeadSource("crm", Mixed())).AddEmailSender(sender));
        await using var _ = owner;
        var pipeline = services.GetRequiredService<ILeadPipeline>();
        var leads = services.GetRequiredService<ILeadRepository>();
        var campaign = ContractTestData.NewCampaignId();

        var harvest = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign, Kind = PipelineRunKind.HarvestOnly });

        Assert.Equal(PipelineRunStatus.Completed, harvest.Status);
        Assert.Equal(PipelineRunKind.HarvestOnly, harvest.Kind);
        Assert.Equal([StageNames.Harvest, StageNames.Dedup], harvest.Stages.Select(s => s.Name));
        Assert.Equal(34, harvest.Harvested);
        Assert.Equal(1, harvest.Rejected);
        Assert.Equal(2, harvest.Duplicates);
        Assert.Equal(1, harvest.Disqualified);
        Assert.Equal(30, harvest.Stored);
        AssertBalanced(harvest);
        Assert.Equal(30, await leads.CountAsync(campaign, LeadStatus.New));
        Assert.Equal(31, await leads.CountAsync(campaign));
        Assert.Equal(0, sender.Count);
        var record = await services.GetRequiredService<IRunRepository>().GetAsync(harvest.RunId);
        Assert.Equal(PipelineRunKind.HarvestOnly, record!.Kind);

        // Read again, the source yields nothing new: every candidate but the rejected one is a duplicate, the one without an identity too.
        var again = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign, Kind = PipelineRunKind.HarvestOnly });
        Assert.Equal(0, again.Stored);
        Assert.Equal(33, again.Duplicates);
        AssertBalanced(again);

        var backlog = await pipeline.RunAsync(new PipelineRunRequest
        {
            CampaignId = campaign,
            Kind = PipelineRunKind.Backlog,
            Backlog = new BacklogSelection { Stages = AllStages, States = [LeadStatus.New] },
        });

        Assert.Equal(PipelineRunStatus.Completed, backlog.Status);
        Assert.Equal(0, backlog.Harvested);
        Assert.Equal(30, backlog.Selected);
        Assert.Equal(30, backlog.Contacted);
        Assert.Equal(0, backlog.Stored);
        AssertBalanced(backlog);
        Assert.Equal(0, await leads.CountAsync(campaign, LeadStatus.New));
        Assert.Equal(30, await leads.CountAsync(campaign, LeadStatus.Contacted));
        Assert.Equal(30, sender.Count);
        Assert.Empty(sender.DuplicateKeys);

        // Nothing is left for a second backlog to take.
        var empty = await pipeline.RunAsync(new PipelineRunRequest
        {
            CampaignId = campaign,
            Kind = PipelineRunKind.Backlog,
            Backlog = new BacklogSelection { Stages = AllStages, States = [LeadStatus.New] },
        });
        Assert.Equal(0, empty.Selected);
        Assert.Equal(30, sender.Count);
    }

    [StoreFact]
    public async Task Backlog_ScoreAndQualifyAgainAfterTheRulesChanged_TakesEachDisqualifiedLeadOnceAndStopsAfterQualify()
    {
        var gate = new RunKindsGate();
        var sender = new RecordingEmailSender();
        var (services, owner) = Open(b =>
        {
            b.Services.AddSingleton(gate);
            b.AddLeadSource(new InMemoryLeadSource("crm", Enumerable.Range(0, 40).Select(Good))).UseQualifier<GatedQualifier>().AddEmailSender(sender);
        });
        await using var _ = owner;
        var pipeline = services.GetRequiredService<ILeadPipeline>();
        var leads = services.GetRequiredService<ILeadRepository>();
        var audit = services.GetRequiredService<IAuditLog>();
        var campaign = ContractTestData.NewCampaignId();

        var first = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign, MaxLeads = 40 });
        Assert.Equal(40, first.Disqualified);
        AssertBalanced(first);

        gate.Open = true;
        var rescore = await pipeline.RunAsync(new PipelineRunRequest
        {
            CampaignId = campaign,
            Kind = PipelineRunKind.Backlog,
            MaxLeads = 25,
            Backlog = new BacklogSelection { Stages = [StageNames.Score, StageNames.Qualify], States = [LeadStatus.Disqualified, LeadStatus.Qualified] },
        });

        // 25 taken (the cap); qualified now, and left stored qualified since the backlog stops after qualify.
        Assert.Equal(PipelineRunStatus.Completed, rescore.Status);
        Assert.Equal([StageNames.Harvest, StageNames.Dedup, StageNames.Score, StageNames.Qualify], rescore.Stages.Select(s => s.Name));
        Assert.Equal(25, rescore.Selected);
        Assert.Equal(25, rescore.Stored);
        AssertBalanced(rescore);
        Assert.Equal(25, await leads.CountAsync(campaign, LeadStatus.Qualified));
        Assert.Equal(15, await leads.CountAsync(campaign, LeadStatus.Disqualified));
        Assert.Equal(0, sender.Count);

        var moved = (await leads.QueryAsync(new LeadQuery { CampaignId = campaign, Status = LeadStatus.Qualified, Take = 1 }))[0];
        var trail = await audit.ReadAsync(moved.Id);
        Assert.Equal(
            [(LeadStatus.Disqualified, LeadStatus.Enriched), (LeadStatus.Enriched, LeadStatus.Scored), (LeadStatus.Scored, LeadStatus.Qualified)],
            trail.Skip(4).Select(e => ((LeadStatus?)e.From ?? LeadStatus.New, e.To)));
        Assert.Equal(trail.Select(e => e.Sequence), Enumerable.Range(1, trail.Count).Select(i => (long)i));

        // The rest, then route and mail the qualified ones: each lead once.
        var rest = await pipeline.RunAsync(new PipelineRunRequest
        {
            CampaignId = campaign,
            Kind = PipelineRunKind.Backlog,
            Backlog = new BacklogSelection { Stages = [StageNames.Score, StageNames.Qualify], States = [LeadStatus.Disqualified] },
        });
        Assert.Equal(15, rest.Selected);
        AssertBalanced(rest);

        var mail = await pipeline.RunAsync(new PipelineRunRequest
        {
            CampaignId = campaign,
            Kind = PipelineRunKind.Backlog,
            Backlog = new BacklogSelection { Stages = [StageNames.Route, StageNames.Nurture], States = [LeadStatus.Qualified] },
        });
        Assert.Equal(40, mail.Selected);
        Assert.Equal(40, mail.Contacted);
        AssertBalanced(mail);
        Assert.Equal(40, sender.Count);
        Assert.Empty(sender.DuplicateKeys);
    }

    [StoreFact]
    public async Task Backlog_RouteTheLeadsThatWaitedForAnOwnerWithCapacity_MailsEachOfThemOnce()
    {
        var gate = new RunKindsGate();
        var sender = new RecordingEmailSender();
        var (services, owner) = Open(b =>
        {
            b.Services.AddSingleton(gate);
            b.AddLeadSource(new InMemoryLeadSource("crm", Enumerable.Range(0, 20).Select(Good))).UseRouter<GatedRouter>().AddEmailSender(sender);
        });
        await using var _ = owner;
        var pipeline = services.GetRequiredService<ILeadPipeline>();
        var leads = services.GetRequiredService<ILeadRepository>();
        var campaign = ContractTestData.NewCampaignId();

        var first = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign });
        Assert.Equal(20, first.ManualReview);
        AssertBalanced(first);

        var selection = new BacklogSelection { Stages = [StageNames.Route, StageNames.Nurture], States = [LeadStatus.ManualReview] };

        // Still no room: the leads go back to manual review, and nothing is sent.
        var full = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign, Kind = PipelineRunKind.Backlog, Backlog = selection });
        Assert.Equal(20, full.Selected);
        Assert.Equal(20, full.ManualReview);
        AssertBalanced(full);

        gate.Open = true;
        var routed = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign, Kind = PipelineRunKind.Backlog, Backlog = selection });
        Assert.Equal(20, routed.Selected);
        Assert.Equal(20, routed.Contacted);
        AssertBalanced(routed);
        Assert.Equal(20, await leads.CountAsync(campaign, LeadStatus.Contacted));
        Assert.Equal(20, sender.Count);
        Assert.Empty(sender.DuplicateKeys);
    }

    [StoreFact]
    public async Task DryRun_FullRun_ReportsWhatARealRunDoesAndStoresAndSendsNothing()
    {
        var sender = new RecordingEmailSender();
        var (services, owner) = Open(b => b.AddLeadSource(new InMemoryLeadSource("crm", Mixed())).AddEmailSender(sender));
        await using var _ = owner;
        var pipeline = services.GetRequiredService<ILeadPipeline>();
        var leads = services.GetRequiredService<ILeadRepository>();
        var campaign = ContractTestData.NewCampaignId();

        var dry = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign, DryRun = true });

        Assert.Equal(PipelineRunStatus.Completed, dry.Status);
        Assert.True(dry.DryRun);
        Assert.Equal(34, dry.Harvested);
        Assert.Equal(1, dry.Rejected);
        Assert.Equal(2, dry.Duplicates);
        Assert.Equal(1, dry.Disqualified);
        Assert.Equal(30, dry.Routed);
        Assert.Equal(0, dry.Contacted);
        AssertBalanced(dry);
        Assert.Equal(0, await leads.CountAsync(campaign));
        Assert.Equal(0, sender.Count);
        Assert.DoesNotContain(await services.GetRequiredService<IEmailOutbox>().ListAsync(take: 10_000), e => e.CampaignId == campaign);
        Assert.Equal(0, await services.GetRequiredService<IRejectionLog>().CountAsync(dry.RunId));
        Assert.Null(await services.GetRequiredService<ICampaignRepository>().GetAsync(campaign));
        var record = await services.GetRequiredService<IRunRepository>().GetAsync(dry.RunId);
        Assert.True(record!.DryRun);
        Assert.Equal(PipelineRunStatus.Completed, record.Status);

        // The real run that follows finds nothing done: the same decisions, now stored and sent.
        var real = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign });
        Assert.Equal(30, real.Contacted);
        Assert.Equal(2, real.Duplicates);
        AssertBalanced(real);
        Assert.Equal(30, sender.Count);

        // A dry run after it finds every candidate stored already.
        var after = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign, DryRun = true });
        Assert.Equal(33, after.Duplicates);
        AssertBalanced(after);
    }

    [StoreFact]
    public async Task DryRun_Backlog_ReportsTheLeadsItWouldTakeAndLeavesThemAsTheyWere()
    {
        var gate = new RunKindsGate();
        var sender = new RecordingEmailSender();
        var (services, owner) = Open(b =>
        {
            b.Services.AddSingleton(gate);
            b.AddLeadSource(new InMemoryLeadSource("crm", Enumerable.Range(0, 12).Select(Good))).UseRouter<GatedRouter>().AddEmailSender(sender);
        });
        await using var _ = owner;
        var pipeline = services.GetRequiredService<ILeadPipeline>();
        var leads = services.GetRequiredService<ILeadRepository>();
        var campaign = ContractTestData.NewCampaignId();
        await pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign });
        var before = await leads.QueryAsync(new LeadQuery { CampaignId = campaign, Take = 100 });
        gate.Open = true;

        var dry = await pipeline.RunAsync(new PipelineRunRequest
        {
            CampaignId = campaign,
            Kind = PipelineRunKind.Backlog,
            DryRun = true,
            Backlog = new BacklogSelection { Stages = [StageNames.Route, StageNames.Nurture], States = [LeadStatus.ManualReview] },
        });

        Assert.Equal(12, dry.Selected);
        Assert.Equal(12, dry.Routed);
        AssertBalanced(dry);
        Assert.Equal(0, sender.Count);
        var now = await leads.QueryAsync(new LeadQuery { CampaignId = campaign, Take = 100 });
        Assert.Equal(before.Select(l => (l.Id, l.Status, l.Version)), now.Select(l => (l.Id, l.Status, l.Version)));
        Assert.All(now, l => Assert.Equal(LeadStatus.ManualReview, l.Status));
    }

    [StoreFact]
    public async Task Parameters_HostStageReadsThemFromItsContext_AndTheRunRecordKeepsThem()
    {
        var (services, owner) = Open(b => b
            .AddLeadSource(new InMemoryLeadSource("crm", Enumerable.Range(0, 5).Select(Good)))
            .AddStage(new ParameterStage(), StageNames.Enrich)
            .AddEmailSender(new RecordingEmailSender()));
        await using var _ = owner;
        var pipeline = services.GetRequiredService<ILeadPipeline>();
        var campaign = ContractTestData.NewCampaignId();

        var result = await pipeline.RunAsync(new PipelineRunRequest
        {
            CampaignId = campaign,
            Kind = PipelineRunKind.HarvestOnly,
            Parameters = new Dictionary<string, string> { ["tier"] = "gold", ["batch.id"] = "2026-12-06" },
        });
        var record = await services.GetRequiredService<IRunRepository>().GetAsync(result.RunId);
        Assert.Equal("gold", record!.Parameters!["tier"]);

        var carried = await pipeline.RunAsync(new PipelineRunRequest
        {
            CampaignId = campaign,
            Kind = PipelineRunKind.Backlog,
            Backlog = new BacklogSelection { Stages = [StageNames.Enrich, "tag", StageNames.Score, StageNames.Qualify, StageNames.Route, StageNames.Nurture], States = [LeadStatus.New] },
            Parameters = new Dictionary<string, string> { ["tier"] = "silver" },
        });

        Assert.Equal(5, carried.Contacted);
        AssertBalanced(carried);
        var stored = await services.GetRequiredService<ILeadRepository>().QueryAsync(new LeadQuery { CampaignId = campaign, Take = 10 });
        Assert.All(stored, l => Assert.Equal("silver", l.Attributes["tier"]));
    }
}
