using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aicmo.Sdk.Benchmarks.Infrastructure;

/// <summary>
/// The lag between a job's scheduled and actual start, from <see cref="ScheduleLagBenchmarks"/>: the benchmark process writes
/// every measured start's lag per case to a file, and this column (in the host process) reads its mean, median, 99th percentile
/// or maximum.
/// </summary>
public sealed class LagColumn(string statistic) : IColumn
{
    public string Id => nameof(LagColumn) + statistic;

    public string ColumnName => "Lag " + statistic;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => statistic switch { "mean" => 0, "p50" => 1, "p99" => 2, _ => 3 };

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"Lag between scheduled and actual start, {statistic}, over every start of the measured iterations (ms)";

    public static void Write(int schedules, int maxConcurrentJobs, double[] sortedLags)
    {
        if (sortedLags.Length == 0)
        {
            return;
        }

        var values = new Dictionary<string, double>
        {
            ["mean"] = sortedLags.Average(),
            ["p50"] = Percentile(sortedLags, 0.50),
            ["p99"] = Percentile(sortedLags, 0.99),
            ["max"] = sortedLags[^1],
            ["count"] = sortedLags.Length,
        };
        Directory.CreateDirectory(Folder());
        File.WriteAllLines(PathOf(schedules, maxConcurrentJobs), values.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:R}")));
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        int schedules = 0, max = 0;
        foreach (var p in benchmarkCase.Parameters.Items)
        {
            if (p.Name == "Schedules" && p.Value is int s)
            {
                schedules = s;
            }
            else if (p.Name == "MaxConcurrentJobs" && p.Value is int m)
            {
                max = m;
            }
        }

        var path = PathOf(schedules, max);
        if (!File.Exists(path))
        {
            return "-";
        }

        foreach (var line in File.ReadAllLines(path))
        {
            var parts = line.Split(' ');
            if (parts[0] == statistic)
            {
                return double.Parse(parts[1], CultureInfo.InvariantCulture).ToString("N1", CultureInfo.InvariantCulture) + " ms";
            }
        }

        return "-";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static string PathOf(int schedules, int maxConcurrentJobs) =>
        Path.Combine(Folder(), string.Create(CultureInfo.InvariantCulture, $"{schedules}-{maxConcurrentJobs}.txt"));

    // Under the repository's artifacts folder, which the benchmark process (in a generated project below it) and the host share.
    private static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aicmo.Sdk.sln")))
            {
                return Path.Combine(dir.FullName, "artifacts", "benchmarks", "schedule-lag");
            }
        }

        return Path.Combine(Path.GetTempPath(), "aicmo-schedule-lag");
    }
}
