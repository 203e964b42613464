using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Tests;

/// <summary>Keeps the README's quick start compiling and working: the body below is the README's code block.</summary>
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
            // ---- README quick start, verbatim ----
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
                .AddEmailSender<MyEspSender>();                       // your IEmailSender; it receives the idempotency key

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
        Assert.True(result.IsBalanced);
        Assert.Contains("balanced: True", output.ToString(), StringComparison.Ordinal);
    }

    private sealed class CrmExportSource : ILeadSource
    {
        public string Name => "crm-export";

        public async IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var c in new SyntheticLeadSource(2000, 1).ReadAsync(context, cancellationToken))
            {
                yield return c;
            }
        }
    }

    private sealed class MyEspSender : IEmailSender
    {
        public ValueTask<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new EmailSendResult("esp-" + message.IdempotencyKey));
    }
}
