using System.Text;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Hosting.Tests.Support;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Hosting.Tests.Scheduling;

/// <summary>The harvest-only and backlog job kinds, in code and in configuration, on simulated time.</summary>
public sealed class JobKindsTests
{
    // Monday 1 June 2026, 07:59 UTC.
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 7, 59, 0, TimeSpan.Zero);

    private static readonly string[] AllStages = [StageNames.Enrich, StageNames.Score, StageNames.Qualify, StageNames.Route, StageNames.Nurture];

    private static DateTimeOffset At(int hour, int minute = 0) => new(2026, 6, 1, hour, minute, 0, TimeSpan.Zero);

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

    [Fact]
    public async Task HourlyHarvestAndABacklogAtHalfPast_HarvestStoresTheLeadsAndTheBacklogMailsEachOnce()
    {
        var sender = new RecordingEmailSender();
        await using var harness = new SchedulerHarness(
            Start,
            o =>
            {
                o.Schedules.Add(new JobSchedule { Id = "harvest", CampaignId = "c", JobKind = JobKinds.HarvestOnly, Cron = "0 * * * *" });
                o.Schedules.Add(new JobSchedule
                {
                    Id = "carry-on",
                    CampaignId = "c",
                    JobKind = JobKinds.Backlog,
                    Cron = "30 * * * *",
                    Backlog = new BacklogSelection { Stages = AllStages, States = [LeadStatus.New] },
                });
            },
            b => b.AddLeadSource(new InMemoryLeadSource("crm", Enumerable.Range(0, 20).Select(Good))).AddEmailSender(sender));
        await harness.InitializeAsync();
        var leads = harness.Services.GetRequiredService<ILeadRepository>();

        await harness.RunUntilAsync(At(8, 1));
        Assert.Equal(20, await leads.CountAsync("c", LeadStatus.New));
        Assert.Equal(0, sender.Count);

        await harness.RunUntilAsync(At(9, 31));

        var results = await harness.ResultsAsync("c");
        Assert.Equal(
            [("harvest", At(8), 20L), ("carry-on", At(8, 30), 20L), ("harvest", At(9), 20L), ("carry-on", At(9, 30), 0L)],
            results.Select(r => (r.ScheduleId!, r.ScheduledAt, r.LeadsProcessed)));
        Assert.All(results, r => Assert.Equal(JobStatus.Completed, r.Status));
        Assert.Equal(20, results[1].Contacted);
        Assert.Equal(20, await leads.CountAsync("c", LeadStatus.Contacted));
        Assert.Equal(20, sender.Count);
        Assert.Empty(sender.DuplicateKeys);

        // The runs record what they were, so a resumed one does the same.
        var runs = harness.Services.GetRequiredService<IRunRepository>();
        Assert.Equal(PipelineRunKind.HarvestOnly, (await runs.GetAsync(results[0].RunId!.Value))!.Kind);
        Assert.Equal(PipelineRunKind.Backlog, (await runs.GetAsync(results[1].RunId!.Value))!.Kind);
    }

    [Fact]
    public async Task BacklogNamingAStageThePipelineDoesNotHave_FailsWithTheReasonAndIsRetried()
    {
        await using var harness = new SchedulerHarness(
            Start,
            o => o.Schedules.Add(new JobSchedule
            {
                Id = "bad",
                CampaignId = "c",
                JobKind = JobKinds.Backlog,
                Cron = "0 8 * * *",
                Retry = new JobRetryPolicy { MaxRetries = 1, BaseDelay = TimeSpan.FromMinutes(1), UseJitter = false },
                Backlog = new BacklogSelection { Stages = ["rescore"], States = [LeadStatus.Disqualified] },
            }),
            b => b.AddLeadSource(new InMemoryLeadSource("crm", [])).AddEmailSender(new RecordingEmailSender()));
        await harness.InitializeAsync();

        await harness.RunUntilAsync(At(8, 5));

        var results = await harness.ResultsAsync("c");
        Assert.Equal([(1, JobStatus.Failed), (2, JobStatus.Failed)], results.Select(r => (r.Attempt, r.Status)));
        Assert.All(results, r => Assert.Contains("'rescore', which is not a stage of this pipeline", r.Error, StringComparison.Ordinal));
    }

    private const string Json = """
        {
          "Scheduler": {
            "NurturePass": false,
            "Schedules": [
              { "Id": "nightly-harvest", "CampaignId": "spring", "JobKind": "harvest", "Cron": "0 2 * * *", "MaxLeads": 5000 },
              {
                "Id": "requalify", "CampaignId": "spring", "JobKind": "backlog", "Cron": "0 3 * * 1",
                "Backlog": { "Stages": [ "score", "qualify" ], "States": [ "Disqualified", "ManualReview" ] }
              }
            ]
          }
        }
        """;

    [Fact]
    public async Task Configuration_HarvestAndBacklogSchedules_AreBoundValidatedAndStored()
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Json))).Build();
        await using var harness = new SchedulerHarness(Start, o => configuration.GetSection("Scheduler").Bind(o));

        await harness.InitializeAsync();

        var harvest = (await harness.Manager.GetAsync("nightly-harvest"))!;
        Assert.Equal((JobKinds.HarvestOnly, 5000L, At(2).AddDays(1)), (harvest.JobKind, harvest.MaxLeads!.Value, harvest.NextFireAt!.Value));
        var requalify = (await harness.Manager.GetAsync("requalify"))!;
        Assert.Equal(JobKinds.Backlog, requalify.JobKind);
        Assert.Equal(new BacklogSelection { Stages = [StageNames.Score, StageNames.Qualify], States = [LeadStatus.Disqualified, LeadStatus.ManualReview] }, requalify.Backlog);

        // Started again with the same configuration, the stored definition is unchanged: its next occurrence is kept.
        var before = requalify.Version;
        await harness.RestartAsync();
        Assert.Equal(before, (await harness.Manager.GetAsync("requalify"))!.Version);
    }

    [Fact]
    public void Validation_BacklogJobWithoutSelection_OrSelectionOnAnotherKind_FailsAtStartNamingTheProperty()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().AddScheduler(o =>
        {
            o.Schedules.Add(new JobSchedule { Id = "a", CampaignId = "c", JobKind = JobKinds.Backlog, Cron = "0 * * * *" });
            o.Schedules.Add(new JobSchedule
            {
                Id = "b", CampaignId = "c", JobKind = JobKinds.Pipeline, Cron = "0 * * * *",
                Backlog = new BacklogSelection { Stages = [StageNames.Score], States = [LeadStatus.New] },
            });
            o.Schedules.Add(new JobSchedule
            {
                Id = "c", CampaignId = "c", JobKind = JobKinds.Backlog, Cron = "0 * * * *",
                Backlog = new BacklogSelection { Stages = [StageNames.Dedup], States = [LeadStatus.New] },
            });
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SchedulerOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains("Schedules[0].Backlog is required", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Schedules[1].Backlog applies only to a backlog job", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Schedules[2].Backlog.Stages", StringComparison.Ordinal) && f.Contains("'dedup'", StringComparison.Ordinal));
    }
}
