using System.Globalization;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aicmo.Samples.Worker;

/// <summary>
/// The sample with <c>--rabbitmq</c>: the leads live in a PostgreSQL store every process shares, and the batches move between the
/// stages through RabbitMQ. One process starts the runs (it harvests, dedups, and works on its runs' stages too); processes
/// started with <c>--worker</c> start no run and work on the runs the others start, until they are stopped (Ctrl+C, SIGTERM).
/// </summary>
/// <remarks>
/// Prints one line per fact on standard output, for people and for scripts: <c>ready</c> once the host has started;
/// <c>started &lt;run&gt; &lt;campaign&gt;</c> per run; <c>progress &lt;harvested&gt; &lt;finished&gt;</c> (over all its runs) a few times a
/// second; <c>done &lt;run&gt; status=… balanced=… harvested=… duplicates=… contacted=… pending=…</c> per run. The starting
/// process exits with 0 when every run completed and balances, 1 otherwise.
/// </remarks>
internal static class ScaleOut
{
    public static async Task<int> RunAsync(CommandLine line)
    {
        var uri = line.Value("--rabbitmq")!;
        var postgres = line.Value("--postgres")
            ?? throw new UsageException("--rabbitmq needs --postgres <connection string>: the leads live in a PostgreSQL store that every process shares.");
        var worker = line.Flag("--worker");
        var leads = line.Int("--leads", 2000, 1);
        var runs = line.Int("--runs", 1, 1);
        var campaign = line.Value("--campaign") ?? "spring-launch";
        var schema = line.Value("--schema");
        var prefix = line.Value("--queue-prefix");
        var stages = line.Value("--stages")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (worker && (line.Value("--runs") is not null || line.Value("--leads") is not null))
        {
            throw new UsageException("--worker starts no run: --runs and --leads belong to the process that starts the runs.");
        }

        using var sender = line.Value("--sends-file") is { } sends
            ? new SendLogEmailSender(sends, TimeSpan.FromMilliseconds(line.Int("--send-latency-ms", 0, 0)))
            : null;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = line.HostArgs,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var aicmo = builder.Configuration.GetSection("Aicmo");

        // Aicmo:Pipeline binds the pipeline's options (routing teams and capacities, send throttles, parallelism), for example
        // --Aicmo:Pipeline:Nurture:MaxPerMailboxPerHour=100. Capacities and throttles are kept in the store, so they hold
        // across every process that shares it.
        builder.Services.AddAicmoPipeline(o => aicmo.GetSection("Pipeline").Bind(o))
            .AddLeadSource(new SyntheticLeadSource(leads, seed: 42))
            .AddEmailSender(sender is null ? new RecordingEmailSender { RetainMessages = false } : (IEmailSender)sender)
            .UsePostgreSql(postgres, o =>
            {
                if (schema is not null)
                {
                    o.Schema = schema;
                }
            })
            .UseRabbitMQ(uri, o =>
            {
                if (prefix is not null)
                {
                    o.QueuePrefix = prefix;
                }

                o.ClientProvidedName = worker ? "aicmo-sample-worker" : "aicmo-sample-starter";
                foreach (var stage in stages)
                {
                    o.Stages.Add(stage);
                }

                o.JoinRuns = worker;
            });

        using var host = builder.Build();
        if (line.Flag("--stop-when-stdin-closes"))
        {
            StopWhenStandardInputCloses(host.Services.GetRequiredService<IHostApplicationLifetime>());
        }

        await host.StartAsync();
        Console.WriteLine("ready");
        if (worker)
        {
            await host.WaitForShutdownAsync();
            return 0;
        }

        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var pipeline = host.Services.GetRequiredService<ILeadPipeline>();
        var started = new List<IPipelineRun>(runs);
        for (var i = 0; i < runs; i++)
        {
            var run = pipeline.Start(new PipelineRunRequest { CampaignId = runs == 1 ? campaign : $"{campaign}-{i + 1}" }, stopping);
            started.Add(run);
            Console.WriteLine($"started {run.RunId} {run.CampaignId}");
        }

        var all = Task.WhenAll(started.Select(r => r.Completion));
        while (!all.IsCompleted)
        {
            long harvested = 0, finished = 0;
            foreach (var run in started)
            {
                var progress = run.Progress;
                harvested += progress.Harvested;
                finished += progress.Stages.Sum(s => s.Finished);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"progress {harvested} {finished}"));
            await Task.WhenAny(all, Task.Delay(250, CancellationToken.None));
        }

        var ok = true;
        foreach (var run in started)
        {
            var result = await run.Completion;
            ok &= result.IsBalanced && result.Status is PipelineRunStatus.Completed or PipelineRunStatus.CompletedWithErrors;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"done {result.RunId} status={result.Status} balanced={result.IsBalanced} harvested={result.Harvested} duplicates={result.Duplicates} contacted={result.Contacted} pending={result.Pending} possible-duplicates={result.PossibleDuplicateSends} duration-ms={(long)result.Duration.TotalMilliseconds}"));
        }

        await host.StopAsync(CancellationToken.None);
        return ok ? 0 : 1;
    }

    // For a supervisor that starts the process with a pipe on its standard input: when the supervisor goes away, the pipe
    // closes and the process stops gracefully instead of running on unwatched.
    private static void StopWhenStandardInputCloses(IHostApplicationLifetime lifetime) =>
        _ = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync() is not null)
            {
            }

            lifetime.StopApplication();
        });
}
