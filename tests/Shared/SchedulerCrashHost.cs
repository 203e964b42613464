using System.Globalization;
using Aicmo.Sdk.Hosting;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aicmo.Sdk.Storage.Tests;

/// <summary>
/// A scheduler host program for the crash tests: <c>dotnet &lt;tests&gt;.dll scheduler-host &lt;connection&gt; &lt;schema&gt; &lt;campaign&gt;
/// &lt;host id&gt; &lt;lead count&gt;</c> runs a pipeline schedule every two seconds on the store under test and prints its job
/// events, until it is killed or its standard input closes.
/// </summary>
internal static class SchedulerCrashHost
{
    public const string ScheduleId = "crash-every-2s";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 5)
        {
            await Console.Error.WriteLineAsync("usage: scheduler-host <connection> <schema> <campaign> <host id> <lead count>");
            return 2;
        }

        var (connection, schema, campaign, hostId) = (args[0], args[1], args[2], args[3]);
        var count = int.Parse(args[4], CultureInfo.InvariantCulture);
        var services = new ServiceCollection();
        services.AddLogging();
        var builder = services.AddAicmoPipeline(o =>
            {
                o.DryRun = false;
                o.ProgressInterval = TimeSpan.FromMilliseconds(20);
            })
            .AddLeadSource(new SyntheticLeadSource(count, CrashHost.Seed))
            .AddEmailSender(new SendLoggingSender(CrashHost.SendLog(campaign)));
        CrashStore.Use(builder, connection, schema);

        // A short lease, so the surviving host takes the job over within seconds of the kill.
        builder.AddScheduler(o =>
        {
            o.HostId = hostId;
            o.NurturePass = false;
            o.PollInterval = TimeSpan.FromMilliseconds(100);
            o.LeaseDuration = TimeSpan.FromSeconds(3);
            o.LeaseRenewInterval = TimeSpan.FromMilliseconds(500);
            o.Schedules.Add(new JobSchedule
            {
                Id = ScheduleId,
                CampaignId = campaign,
                JobKind = JobKinds.Pipeline,
                Cron = "*/2 * * * * *",
                Misfire = MisfirePolicy.Skip,
                MisfireThreshold = TimeSpan.FromSeconds(30),
            });
        });
        await using var provider = services.BuildServiceProvider();
        using var stop = new CancellationTokenSource();
        var printing = PrintAsync(provider.GetRequiredService<IJobEventStream>(), hostId, campaign, stop.Token);
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        Console.WriteLine($"ready {hostId}");
        await Console.In.ReadToEndAsync();
        foreach (var service in hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }

        await stop.CancelAsync();
        try
        {
            await printing;
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }

    private static async Task PrintAsync(IJobEventStream events, string hostId, string campaign, CancellationToken cancellationToken)
    {
        await foreach (var e in events.SubscribeAsync(campaign, cancellationToken))
        {
            var line = e switch
            {
                JobStarted s => FormattableString.Invariant($"job-started {hostId} {s.Attempt} {(object?)s.ResumingRunId ?? "-"}"),
                JobRunEvent { Event: RunStarted r } => FormattableString.Invariant($"run-started {hostId} {r.RunId}"),
                JobRunEvent { Event: StageProgress p } => FormattableString.Invariant($"progress {hostId} {p.RunId} {p.Progress.Harvested} {p.Progress.Stages.Sum(s => s.Finished)}"),
                JobRunEvent { Event: RunCompleted c } => FormattableString.Invariant(
                    $"run-completed {hostId} {c.RunId} {c.Result.Status} balanced={c.Result.IsBalanced} harvested={c.Result.Harvested} resumed={c.Result.Resumed}"),
                JobCompleted c => FormattableString.Invariant($"job-completed {hostId} {c.Result.Status} {c.Result.RunId}"),
                JobSkipped => "job-skipped " + hostId,
                _ => null,
            };
            if (line is not null)
            {
                Console.WriteLine(line);
            }
        }
    }
}
