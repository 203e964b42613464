using System.Globalization;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.Hosting;

namespace Aicmo.Sdk.Hosting.Tests.Scheduling;

/// <summary>Two hosts one after the other on one SQLite file: the first is stopped during a pipeline job, the second finishes its work.</summary>
public sealed class GracefulShutdownTests : IDisposable
{
    private const int Candidates = 300;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "aicmo-hosting-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static List<LeadCandidate> NewCandidates() => Enumerable.Range(0, Candidates).Select(i => new LeadCandidate
    {
        ExternalId = i.ToString(CultureInfo.InvariantCulture),
        FirstName = "Ada",
        LastName = "Lovelace " + i.ToString(CultureInfo.InvariantCulture),
        Email = $"ada{i}@analytical{i % 7}.io",
        Title = "VP Engineering",
        CompanyName = "Analytical " + (i % 7).ToString(CultureInfo.InvariantCulture),
        CompanyDomain = $"analytical{i % 7}.io",
        Industry = "Software",
        CompanySize = 250,
        Country = "GB",
        TimeZone = "Europe/London",
    }).ToList();

    private IHost BuildHost(InMemoryLeadSource source, RecordingEmailSender sender)
    {
        Directory.CreateDirectory(_directory);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAicmoPipeline(o => o.CancellationDrainTimeout = TimeSpan.FromSeconds(2))
            .AddLeadSource(source)
            .AddEmailSender(sender)
            .UseSqlite($"Data Source={Path.Combine(_directory, "aicmo.db")}")
            .AddScheduler(o =>
            {
                o.NurturePass = false;
                o.PollInterval = TimeSpan.FromMilliseconds(100);
                o.Schedules.Add(new JobSchedule { Id = "harvest", CampaignId = "c", JobKind = JobKinds.Pipeline, Cron = "* * * * * *", MisfireThreshold = TimeSpan.FromSeconds(5) });
            });
        return builder.Build();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true within 60 seconds.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task StopDuringAPipelineJob_CancelsAndCheckpoints_AndTheNextHostFinishesEveryLeadOnce()
    {
        var sender = new RecordingEmailSender();
        var slow = new InMemoryLeadSource("crm", NewCandidates()) { DelayPerCandidate = TimeSpan.FromMilliseconds(20) };
        Guid cancelledRun;
        using (var first = BuildHost(slow, sender))
        {
            await first.StartAsync();
            await WaitUntilAsync(() => Task.FromResult(slow.Yielded >= 40));
            await first.StopAsync();

            var results = await first.Services.GetRequiredService<IJobStore>().QueryResultsAsync(new JobResultQuery { CampaignId = "c" });
            var cancelled = Assert.Single(results, r => r.Status == JobStatus.Cancelled);
            Assert.Equal("the host stopped", cancelled.Error);
            cancelledRun = cancelled.RunId!.Value;
            Assert.Equal(PipelineRunStatus.Cancelled, (await first.Services.GetRequiredService<IRunRepository>().GetAsync(cancelledRun))!.Status);
            Assert.True(slow.Yielded < Candidates);
        }

        using (var second = BuildHost(new InMemoryLeadSource("crm", NewCandidates()), sender))
        {
            await second.StartAsync();
            var jobs = second.Services.GetRequiredService<IJobStore>();
            await WaitUntilAsync(async () => (await jobs.QueryResultsAsync(new JobResultQuery { CampaignId = "c" })).Any(r => r.Status == JobStatus.Completed));
            await second.StopAsync();

            var runs = second.Services.GetRequiredService<IRunRepository>();
            Assert.NotNull((await runs.GetAsync(cancelledRun))!.TakenOverBy);
            var funnel = await second.Services.GetRequiredService<ILeadRepository>().CountByStatusAsync("c");
            Assert.Equal(Candidates, funnel.Values.Sum());
            Assert.DoesNotContain(funnel.Keys, s => s is LeadStatus.New or LeadStatus.Enriched or LeadStatus.Scored or LeadStatus.Qualified);
            Assert.Empty(sender.DuplicateKeys);
        }
    }
}
