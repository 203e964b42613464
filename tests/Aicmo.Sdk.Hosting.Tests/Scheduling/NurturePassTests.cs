using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Hosting.Tests.Support;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Hosting.Tests.Scheduling;

public sealed class NurturePassTests
{
    // Monday 1 June 2026, 02:59 UTC: late Sunday evening in New York, early Monday morning in Berlin.
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 2, 59, 0, TimeSpan.Zero);

    [Fact]
    public async Task ThreeStepSequence_SentByTheSchedulerAlone_EachStepOnceInTheRecipientsWindow()
    {
        ClockedEmailSender? sender = null;
        await using var harness = new SchedulerHarness(
            Start,
            o =>
            {
                o.NurturePass = true;
                o.PollInterval = TimeSpan.FromMinutes(5);
                o.Schedules.Add(new JobSchedule { Id = "harvest", CampaignId = "spring", JobKind = JobKinds.Pipeline, Cron = "0 3 1 6 *" });
            },
            builder =>
            {
                builder.AddLeadSource(new SyntheticLeadSource(60, seed: 11));
                builder.Services.AddSingleton<IEmailSender>(sp => sender = new ClockedEmailSender(sp.GetRequiredService<TimeProvider>()));
                builder.Services.Configure<AicmoPipelineOptions>(o =>
                {
                    foreach (var name in new[] { "nurture-intro", "growth-intro", "enterprise-intro" })
                    {
                        o.Nurture.Sequences[name] = new NurtureSequence
                        {
                            Steps =
                            {
                                new NurtureStep { Subject = "One", Template = "1" },
                                new NurtureStep { Delay = TimeSpan.FromDays(1), Subject = "Two", Template = "2" },
                                new NurtureStep { Delay = TimeSpan.FromDays(1), Subject = "Three", Template = "3" },
                            },
                        };
                    }

                    o.Nurture.SendingWindow = new SendingWindowOptions
                    {
                        Enabled = true,
                        Days = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
                        Start = TimeSpan.FromHours(9),
                        End = TimeSpan.FromHours(17),
                    };
                });
            });
        await harness.InitializeAsync();

        await harness.RunUntilAsync(new DateTimeOffset(2026, 6, 6, 0, 0, 0, TimeSpan.Zero));

        var leads = harness.Services.GetRequiredService<ILeadRepository>();
        var nurtured = (await leads.QueryAsync(new LeadQuery { CampaignId = "spring", Status = LeadStatus.Contacted, Take = 1000 })).ToDictionary(l => l.Id);
        Assert.True(nurtured.Count >= 5, $"only {nurtured.Count} leads were contacted");
        var sent = sender!.Sent;
        Assert.Equal(nurtured.Count * 3, sent.Count);
        Assert.All(sent.GroupBy(s => s.Message.Key.LeadId), g =>
        {
            Assert.Equal(["One", "Two", "Three"], g.OrderBy(s => s.At).Select(s => s.Message.Subject));
            var zone = TimeZoneInfo.FindSystemTimeZoneById(nurtured[g.Key].TimeZone ?? "UTC");
            foreach (var (at, _) in g)
            {
                var local = TimeZoneInfo.ConvertTime(at, zone);
                Assert.True(local.DayOfWeek is >= DayOfWeek.Monday and <= DayOfWeek.Friday && local.TimeOfDay >= TimeSpan.FromHours(9) && local.TimeOfDay < TimeSpan.FromHours(17), $"sent at {local:o} local");
            }
        });
        Assert.Equal(sent.Count, sent.Select(s => s.Message.IdempotencyKey).Distinct().Count());

        // Every send came from a job the scheduler fired: the pipeline run, then the per-minute nurture passes.
        var results = await harness.ResultsAsync("spring");
        var pipeline = Assert.Single(results, r => r.JobKind == JobKinds.Pipeline);
        Assert.Equal(JobStatus.Completed, pipeline.Status);
        var passes = results.Where(r => r.ScheduleId == "nurture:spring").ToList();
        Assert.True(passes.Count > 5000, $"{passes.Count} nurture passes");
        Assert.Equal(sent.Count, pipeline.Contacted + passes.Sum(p => p.Contacted));
        Assert.All(passes, p => Assert.Equal(JobStatus.Completed, p.Status));
    }
}
