using System.Globalization;
using Aicmo.Sdk.RabbitMQ.Tests.Support;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.RabbitMQ.Tests.MultiProcess;

/// <summary>
/// Runs started by one worker-sample process and worked on by three others (<c>--worker</c>), all separate OS processes on the
/// test broker and the PostgreSQL server. <c>AICMO_MULTIPROCESS_LEADS</c> sets the candidates of the run a worker is killed in
/// (default 100,000 in CI, where <c>CI=true</c>, and 10,000 elsewhere to keep a local run under a minute).
/// </summary>
[SkipWithoutRabbitMqAndPostgreSql]
public sealed class MultiProcessRunTests
{
    private static int Leads =>
        int.TryParse(Environment.GetEnvironmentVariable("AICMO_MULTIPROCESS_LEADS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
        : string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) ? 100_000 : 10_000;

    // Waits that grow with the run: at least the fixed minimum, and about 50 leads per second for a quarter or the whole run,
    // several times slower than the run goes on two shared cores, so only a stuck run times out.
    private static TimeSpan ProgressWait => TimeSpan.FromSeconds(Math.Max(300, Leads / 4 / 50));

    private static TimeSpan RunWait => TimeSpan.FromSeconds(Math.Max(600, Leads / 50));

    [StoreFact]
    public async Task OneRunOnThreeWorkers_OneKilledMidRunAndStartedAgain_EveryLeadEndsOnceNoKeyIsSentTwiceAndTheRunBalances()
    {
        await using var cluster = new SampleCluster();
        await Task.WhenAll(cluster.StartWorkerAsync("w1"), cluster.StartWorkerAsync("w2"), cluster.StartWorkerAsync("w3"));
        var starter = cluster.StartRuns("starter", Leads, campaign: "killed");

        await starter.WaitForLineAsync(l => RunLine.Finished(l) >= Leads / 4, ProgressWait, $"progress past {Leads / 4} finished leads");
        var victim = cluster.Processes.Single(p => p.Name == "w2");
        var sentBeforeTheKill = cluster.ReadSends("w2").Count;
        victim.Kill();
        await victim.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.False(starter.Lines.Any(RunLine.IsDone), "the run ended before the worker was killed; raise AICMO_MULTIPROCESS_LEADS");
        await Task.Delay(TimeSpan.FromSeconds(1));
        await cluster.StartWorkerAsync("w2");

        Assert.True(await starter.WaitForExitAsync(RunWait) == 0, starter.Describe());
        var run = RunLine.Parse(starter.Lines.Single(RunLine.IsDone));
        Assert.Equal(Leads, run.Harvested);
        var leads = await CampaignCheck.VerifyRunAsync(cluster, "killed", run);
        var pendingClaims = await CampaignCheck.VerifySendsAsync(cluster, leads);
        Assert.True(run.Contacted > 0, "no lead was contacted");

        // The workers did the run's work with the starter: the two never killed sent mail of it.
        Assert.NotEmpty(cluster.ReadSends("w1"));
        Assert.NotEmpty(cluster.ReadSends("w3"));
        Report(
            $"{nameof(OneRunOnThreeWorkers_OneKilledMidRunAndStartedAgain_EveryLeadEndsOnceNoKeyIsSentTwiceAndTheRunBalances)}: leads={Leads} " +
            $"sends={cluster.ReadSends().Count} starter={cluster.ReadSends("starter").Count} w1={cluster.ReadSends("w1").Count} " +
            $"w2-before-kill={sentBeforeTheKill} w2={cluster.ReadSends("w2").Count} w3={cluster.ReadSends("w3").Count} " +
            $"sent-but-left-pending-by-the-kill={pendingClaims} contacted={run.Contacted}");
    }

    [StoreFact]
    public async Task HundredRunsStartedAtOnce_WorkedOnByFourProcesses_EveryRunCompletesAndBalances()
    {
        const int runs = 100, leads = 40;
        await using var cluster = new SampleCluster();
        await Task.WhenAll(cluster.StartWorkerAsync("w1"), cluster.StartWorkerAsync("w2"), cluster.StartWorkerAsync("w3"));
        var starter = cluster.StartRuns("starter", leads, runs, campaign: "many");

        Assert.True(await starter.WaitForExitAsync(TimeSpan.FromMinutes(10)) == 0, starter.Describe());
        var done = starter.Lines.Where(RunLine.IsDone).Select(RunLine.Parse).ToList();
        Assert.Equal(runs, done.Count);
        var started = starter.Lines.Where(l => l.StartsWith("started ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToDictionary(p => Guid.Parse(p[1]), p => p[2]);
        var allLeads = new List<Aicmo.Sdk.Domain.Lead>();
        foreach (var run in done)
        {
            Assert.Equal(leads, run.Harvested);
            allLeads.AddRange(await CampaignCheck.VerifyRunAsync(cluster, started[run.RunId], run, trailsToCheck: 5));
        }

        await CampaignCheck.VerifySendsAsync(cluster, allLeads);
        var workers = new[] { "w1", "w2", "w3" }.Count(w => cluster.ReadSends(w).Count > 0);
        Assert.True(workers > 0, "no worker process sent mail of the runs");
        Report($"{nameof(HundredRunsStartedAtOnce_WorkedOnByFourProcesses_EveryRunCompletesAndBalances)}: runs={runs} leads-per-run={leads} " +
            $"sends={cluster.ReadSends().Count} starter={cluster.ReadSends("starter").Count} workers-that-sent={workers}");
    }

    // When AICMO_MULTIPROCESS_REPORT names a file, appends what a test counted (sizes, sends per process), for the docs.
    internal static void Report(string line)
    {
        if (Environment.GetEnvironmentVariable("AICMO_MULTIPROCESS_REPORT") is { Length: > 0 } path)
        {
            File.AppendAllText(path, line + "\n");
        }
    }
}
