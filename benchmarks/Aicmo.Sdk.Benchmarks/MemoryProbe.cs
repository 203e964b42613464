using System.Diagnostics;
using System.Globalization;
using Aicmo.Sdk.Benchmarks.Infrastructure;
using Aicmo.Sdk.Pipeline;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>
/// <c>--memory [counts...]</c>: runs the scaling scenario once per count, each in a fresh process (after a 20,000-lead warm-up
/// run), and reports the peak working set of that process (on Linux, VmHWM), the managed heap after the run and the time. BenchmarkDotNet reports allocation, not
/// working set, hence this mode.
/// </summary>
public static class MemoryProbe
{
    private const string ChildFlag = "--memory-child";
    private const int WarmUpLeads = 20_000;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length >= 2 && args[0] == ChildFlag)
        {
            return await RunChildAsync(int.Parse(args[1], CultureInfo.InvariantCulture));
        }

        var counts = args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        if (counts.Length == 0)
        {
            counts = [100_000, 200_000, 1_000_000];
        }

        var self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find this program's path.");
        Console.WriteLine($"GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, concurrent: {System.Runtime.GCSettings.LatencyMode}; {Environment.ProcessorCount} cores");
        Console.WriteLine("| Leads | Time | Leads/s | Peak working set | Managed heap after run | Allocated/lead | Gen0/1/2 | Balanced |");
        Console.WriteLine("|------:|-----:|--------:|-----------------:|-----------------------:|---------------:|---------:|:--------:|");
        var status = 0;
        foreach (var count in counts)
        {
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(ChildFlag);
            start.ArgumentList.Add(count.ToString(CultureInfo.InvariantCulture));
            if (self.EndsWith("dotnet", StringComparison.Ordinal) || self.EndsWith("dotnet.exe", StringComparison.Ordinal))
            {
                start.ArgumentList.Insert(0, typeof(MemoryProbe).Assembly.Location);
            }

            using var child = Process.Start(start)!;
            var line = await child.StandardOutput.ReadToEndAsync();
            await child.WaitForExitAsync();
            Console.Write(line);
            if (child.ExitCode != 0)
            {
                status = 1;
            }
        }

        return status;
    }

    private static async Task<int> RunChildAsync(int leads)
    {
        // A short run first, so the measured run executes optimized code: on a loaded machine a cold process can spend seconds in
        // unoptimized (tier-0) code before the background JIT catches up. It is small next to the measured peaks.
        var warmUp = ScalingBenchmarks.Build(WarmUpLeads);
        await warmUp.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = "warm-up" });
        await warmUp.Services.DisposeAsync();
        warmUp = default;
        GC.Collect();

        var (services, pipeline, source, sender) = ScalingBenchmarks.Build(leads);
        await using var _ = services;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var watch = Stopwatch.StartNew();
        var result = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = "bench" });
        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var peak = process.PeakWorkingSet64;
        var ok = true;
        try
        {
            ScalingBenchmarks.Verify(result, leads, source, sender);
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            ok = false;
        }

        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv,
            $"| {leads:N0} | {watch.Elapsed.TotalSeconds:0.00} s | {leads / watch.Elapsed.TotalSeconds:N0} | {peak / 1048576.0:N0} MB | {heap / 1048576.0:N0} MB | {allocated / (double)leads:N0} B | {GC.CollectionCount(0) - gcBefore.Item1}/{GC.CollectionCount(1) - gcBefore.Item2}/{GC.CollectionCount(2) - gcBefore.Item3} | {(ok ? "yes" : "NO")} |"));
        return ok ? 0 : 1;
    }
}
