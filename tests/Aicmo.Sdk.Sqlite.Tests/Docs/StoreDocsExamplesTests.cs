using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Tests;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aicmo.Sdk.Sqlite.Tests.Docs;

/// <summary>
/// The host-code examples of docs/stores.md, compiled and run on a SQLite file (the registration example is only compiled
/// and registered: its PostgreSQL lines need no server until a store is resolved). Each <c>// doc:name</c> region must appear
/// verbatim as a C# block in the page; <see cref="DocsPage_ShowsEveryExampleVerbatim"/> fails when the two drift apart.
/// </summary>
public sealed class StoreDocsExamplesTests
{
    [Fact]
    public void ChoosingAStore()
    {
        const string cs = "Host=db;Database=aicmo;Username=aicmo;Password=...";
        var services = new ServiceCollection();
        // doc:choosing
        var aicmo = services.AddAicmoPipeline();                                 // in-memory stores (the default)
        aicmo.UseInMemoryStores();                                              // in-memory, said explicitly
        aicmo.UseSqlite("Data Source=aicmo.db");                                // SQLite file (Aicmo.Sdk.Sqlite)
        aicmo.UsePostgreSql("Host=db;Database=aicmo;Username=aicmo;Password=...");  // PostgreSQL (Aicmo.Sdk.PostgreSql)
        services.AddSingleton(NpgsqlDataSource.Create(cs)); aicmo.UsePostgreSql();  // your NpgsqlDataSource
        // end

        Assert.Contains(services, d => d.ServiceType == typeof(NpgsqlDataSource));
        Assert.Contains(services, d => d.ServiceType == typeof(ILeadRepository));
        Assert.Equal(1, services.Count(d => d.ServiceType == typeof(ILeadRepository)));
    }

    [Fact]
    public async Task ResumeDashboardAndErasure()
    {
        await using var database = new SqliteTestDatabase(pipeline: b => b.AddLeadSource(new InterruptedOnceSource()).AddEmailSender(new RecordingEmailSender()));
        var sp = database.Services;
        var pipeline = sp.GetRequiredService<ILeadPipeline>();

        // A run interrupted once its source has yielded everything: cancelled while the source still waits.
        var interrupted = pipeline.Start(new PipelineRunRequest { CampaignId = "q4-enterprise" });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (interrupted.Progress.Harvested < InterruptedOnceSource.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        interrupted.Cancel();
        var first = await interrupted.Completion;
        Assert.Equal(PipelineRunStatus.Cancelled, first.Status);
        var runId = first.RunId;
        var leadId = (await sp.GetRequiredService<LeadDashboard>().ListLeadsAsync(new LeadQuery { CampaignId = "q4-enterprise", Take = 1 })).Single().Id;

        // doc:resume
        PipelineRunResult result = await pipeline.ResumeAsync(runId);
        // end
        Assert.True(result.IsBalanced);

        // doc:dashboard
        var dashboard = sp.GetRequiredService<LeadDashboard>();
        LeadFunnel funnel = await dashboard.GetFunnelAsync("q4-enterprise");         // leads per state
        var (run, runFunnel) = (await dashboard.GetRunFunnelAsync(runId))!.Value;     // a run's record and the leads it harvested
        LeadDetails? lead = await dashboard.GetLeadAsync(leadId);                     // a lead with its audit trail
        var page = await dashboard.ListLeadsAsync(new LeadQuery { CampaignId = "q4-enterprise", Status = LeadStatus.ManualReview, Skip = 0, Take = 50 });
        var failed = await dashboard.ListOutboxAsync(OutboxStatus.Failed, skip: 0, take: 50);
        // end
        Assert.Equal(runId, run.RunId);
        Assert.NotNull(lead);
        Assert.NotNull(funnel);
        Assert.NotNull(runFunnel);
        Assert.All(page, l => Assert.Equal(LeadStatus.ManualReview, l.Status));
        Assert.Empty(failed);

        // doc:erasure
        ErasureResult erased = await sp.GetRequiredService<LeadEraser>().EraseLeadAsync(leadId, "request #1234");
        // end
        Assert.NotNull(erased);
    }

    private sealed class InterruptedOnceSource : ILeadSource
    {
        public const int Count = 300;
        private int _reads;

        public string Name => "crm";

        public async IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var first = Interlocked.Increment(ref _reads) == 1;
            await foreach (var candidate in new SyntheticLeadSource(Count, 7).ReadAsync(context, cancellationToken))
            {
                yield return candidate;
            }

            if (first)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }
    }

    [Fact]
    public void DocsPage_ShowsEveryExampleVerbatim() =>
        DocExamples.AssertPageShowsEveryExample(ThisFile(), "stores.md", 4);

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
