using System.Globalization;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Storage.Tests;

/// <summary>
/// The test assembly doubles as a small host program: <c>dotnet &lt;tests&gt;.dll crash-host start|resume …</c> runs or resumes a
/// campaign on the store under test, printing progress, so a test can kill it with SIGKILL at chosen points.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["scheduler-host", .. var rest])
        {
            return await SchedulerCrashHost.RunAsync(rest);
        }

        if (args.Length < 7 || args[0] != "crash-host")
        {
            await Console.Error.WriteLineAsync("usage: crash-host start|resume <connection> <schema> <campaign> <run id> <lead count>");
            return 2;
        }

        return await CrashHost.RunAsync(args[1], args[2], args[3], args[4], Guid.Parse(args[5]), int.Parse(args[6], CultureInfo.InvariantCulture));
    }
}

/// <summary>What a crash-host process does, and the synthetic campaign it runs.</summary>
internal static class CrashHost
{
    public const int Seed = 7;

    /// <summary>The file every host process of a campaign appends its accepted sends to, one idempotency key a line.</summary>
    public static string SendLog(string campaign) => Path.Combine(Path.GetTempPath(), $"aicmo-crash-sends-{campaign}.log");

    /// <summary>Reads the idempotency keys the transport accepted for a campaign, in every host process.</summary>
    public static IReadOnlyList<string> ReadSends(string campaign) =>
        File.Exists(SendLog(campaign)) ? File.ReadAllLines(SendLog(campaign)).Where(l => l.Length > 0).ToList() : [];

    public static async Task<int> RunAsync(string mode, string connection, string schema, string campaign, Guid runId, int count)
    {
        // A transport that takes 2 ms per send keeps a run going for a second or more, so the kills land mid-run.
        var services = new ServiceCollection();
        var builder = services.AddAicmoPipeline(o => o.DryRun = false)
            .AddLeadSource(new SyntheticLeadSource(count, Seed))
            .AddEmailSender(new SendLoggingSender(SendLog(campaign)));
        CrashStore.Use(builder, connection, schema);
        await using var provider = services.BuildServiceProvider();
        var pipeline = provider.GetRequiredService<ILeadPipeline>();

        PipelineRunResult result;
        if (mode == "start")
        {
            var run = pipeline.Start(new PipelineRunRequest { CampaignId = campaign, RunId = runId });
            Console.WriteLine("started");
            while (!run.Completion.IsCompleted)
            {
                var progress = run.Progress;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"progress {progress.Harvested} {progress.Stages.Sum(s => s.Finished)}"));
                await Task.WhenAny(run.Completion, Task.Delay(5));
            }

            result = await run.Completion;
        }
        else
        {
            Console.WriteLine("resuming");
            result = await pipeline.ResumeAsync(runId);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {result.Status} balanced={result.IsBalanced} harvested={result.Harvested} possible-duplicates={result.PossibleDuplicateSends} resumed={result.Resumed}"));
        return result.IsBalanced && result.Status is PipelineRunStatus.Completed or PipelineRunStatus.CompletedWithErrors ? 0 : 1;
    }
}

/// <summary>
/// A transport that takes 2 ms per send and appends each accepted key to a file before it returns, so a parent process can count
/// sends per key across a SIGKILL (what reached the operating system before the kill is kept).
/// </summary>
internal sealed class SendLoggingSender(string path) : Aicmo.Sdk.Nurture.IEmailSender
{
    private readonly Lock _gate = new();
    private readonly FileStream _log = new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);

    public async ValueTask<Aicmo.Sdk.Nurture.EmailSendResult> SendAsync(Aicmo.Sdk.Nurture.EmailMessage message, CancellationToken cancellationToken)
    {
        await Task.Delay(2, cancellationToken);
        var line = System.Text.Encoding.UTF8.GetBytes(message.IdempotencyKey + "\n");
        lock (_gate)
        {
            _log.Write(line);
            _log.Flush();
        }

        return new Aicmo.Sdk.Nurture.EmailSendResult(null);
    }
}
