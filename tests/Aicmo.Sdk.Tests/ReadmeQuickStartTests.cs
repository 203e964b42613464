using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Tests;

/// <summary>
/// Keeps the README's quick start compiling and working. The regions between the <c>README quick start</c> markers below are
/// the README's C# block line for line (indentation aside, and without its using directives), which
/// <see cref="QuickStart_InThisTest_IsTheReadmeBlockLineForLine"/> checks. <c>./build.sh test</c> also runs the block itself in
/// a new console app built from the packed packages.
/// </summary>
public class ReadmeQuickStartTests
{
    [Fact]
    public async Task QuickStart_AsWrittenInTheReadme_RunsToABalancedResult()
    {
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        PipelineRunResult result;
        try
        {
            // ---- README quick start ----
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddAicmoPipeline(options =>
                {
                    options.Scoring.TargetIndustries.Add("Software");
                    options.Scoring.TargetCountries.Add("US");
                    options.Qualification.MinScore = 0.5;
                    options.Nurture.FromAddress = "sales@example.com";
                    options.StageParallelism["enrich"] = 32;          // I/O-bound stages want many workers
                })
                .AddLeadSource<CrmExportSource>()                     // your ILeadSource (several may be added)
                .AddEmailSender<MyEspSender>()                        // your IEmailSender; it receives the idempotency key
                .UseInMemoryStores();                                 // or, with Aicmo.Sdk.Sqlite: .UseSqlite("Data Source=aicmo.db")

            await using var provider = services.BuildServiceProvider();
            var pipeline = provider.GetRequiredService<ILeadPipeline>();

            IPipelineRun run = pipeline.Start(new PipelineRunRequest { CampaignId = "q4-outreach", MaxLeads = 10_000 });
            await foreach (PipelineEvent e in run.Events)
            {
                if (e is StageProgress p) Console.WriteLine($"{p.Progress.Harvested:N0} harvested");
            }

            result = await run.Completion;     // or: await pipeline.RunAsync(request, cancellationToken)
            Console.WriteLine($"{result.Status}: {result.Contacted} contacted, {result.Quarantined} quarantined, " +
                              $"success rate {result.SuccessRate:P1}, balanced: {result.IsBalanced}");
            // ---- end ----
        }
        finally
        {
            Console.SetOut(console);
        }

        Assert.Equal(PipelineRunStatus.Completed, result.Status);
        Assert.Equal(2000, result.Harvested);
        Assert.True(result.Duplicates > 0);
        Assert.True(result.Contacted > 0);
        Assert.True(result.IsBalanced);
        Assert.Contains("balanced: True", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void QuickStart_InThisTest_IsTheReadmeBlockLineForLine()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        var section = Array.FindIndex(readme, l => l.StartsWith("## Quick start for host applications", StringComparison.Ordinal));
        Assert.True(section >= 0, "README.md has no 'Quick start for host applications' section.");
        var start = Array.FindIndex(readme, section, l => l.Trim() == "```csharp") + 1;
        var end = Array.FindIndex(readme, start, l => l.Trim() == "```");
        var block = Normalize(readme[start..end]).Where(l => !l.StartsWith("using ", StringComparison.Ordinal)).ToList();

        var source = File.ReadAllLines(SourcePath());
        var copied = new List<string>();
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i].Trim() == "// ---- README quick start ----")
            {
                var stop = Array.FindIndex(source, i, l => l.Trim() == "// ---- end ----");
                copied.AddRange(Normalize(source[(i + 1)..stop]));
                i = stop;
            }
        }

        // The README's `PipelineRunResult result = ...` declares what the test declares before its try block.
        Assert.Equal(block.Select(l => l.Replace("PipelineRunResult result = ", "result = ", StringComparison.Ordinal)), copied);
    }

    private static IEnumerable<string> Normalize(IEnumerable<string> lines) =>
        lines.Select(l => l.Trim()).Where(l => l.Length > 0);

    private static string SourcePath([CallerFilePath] string path = "") => path;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(SourcePath())!); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aicmo.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No Aicmo.Sdk.sln above the test's source.");
    }

    // ---- README quick start ----
    // Your lead source: a CRM export, a CSV file, a vendor's API. Here, 2,000 made-up rows.
    sealed class CrmExportSource : ILeadSource
    {
        public string Name => "crm-export";

        public IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, CancellationToken cancellationToken) =>
            Enumerable.Range(1, 2_000).Select(i => new LeadCandidate
            {
                ExternalId = $"crm-{i}",
                FirstName = "Ada",
                LastName = $"Lovelace {i}",
                Email = $"lead{i % 1_900}@company{i % 20}.com",       // rows 1,901-2,000 repeat earlier ones, as real exports do
                Title = i % 3 == 0 ? "VP Engineering" : "Software Engineer",
                CompanyName = $"Company {i % 20}",
                CompanyDomain = $"company{i % 20}.com",
                Industry = i % 2 == 0 ? "Software" : "Retail",
                Country = "US",
                CompanySize = 50 + i % 500,
            }).ToAsyncEnumerable();
    }

    // Your mail transport, for example an ESP's API; pass the idempotency key on so that a retried send is not delivered twice.
    sealed class MyEspSender : IEmailSender
    {
        public ValueTask<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new EmailSendResult("esp-" + message.IdempotencyKey));
    }
    // ---- end ----
}
