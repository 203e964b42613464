using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Aicmo.Sdk.Benchmarks.Infrastructure;

/// <summary>
/// Runs that take tens of milliseconds to seconds (a whole pipeline run per invocation): one invocation per iteration, a fresh
/// pipeline and stores for each (set up outside the measurement), few iterations because the machine has two cores. Six
/// warm-up runs: with two, the first benchmark of a process was still measuring code the JIT had not finished optimizing
/// (five runs at 240-380 ms, then 80-110 ms).
/// </summary>
public sealed class PipelineRunConfig : ManualConfig
{
    public PipelineRunConfig()
    {
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(6)
            .WithIterationCount(8)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("PipelineRun"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new PerLeadColumn(false), new PerLeadColumn(true));
        SummaryStyle = SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend);
    }
}

/// <summary>
/// <see cref="PipelineRunConfig"/> twice: with the workstation GC a console app gets by default, and with the server GC that
/// ASP.NET Core and worker-service hosts run with by default. A pipeline that keeps what it processes (the in-memory stores
/// retain every lead and audit event) is bound by garbage collection, and the two collectors differ most there.
/// </summary>
public sealed class FullPipelineConfig : ManualConfig
{
    public FullPipelineConfig()
    {
        var job = Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(6)
            .WithIterationCount(8)
            .WithInvocationCount(1)
            .WithUnrollFactor(1);
        AddJob(job.WithGcServer(false).WithId("WorkstationGC").AsBaseline());
        AddJob(job.WithGcServer(true).WithId("ServerGC"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new PerLeadColumn(false), new PerLeadColumn(true));
        SummaryStyle = SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend);
    }
}

/// <summary>Runs for the long scaling cases: one warm-up, three measured runs.</summary>
public sealed class LongRunConfig : ManualConfig
{
    public LongRunConfig()
    {
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(3)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("LongRun"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new PerLeadColumn(false), new PerLeadColumn(true));
    }
}

/// <summary>Micro-benchmarks of the engines: BenchmarkDotNet's short run.</summary>
public sealed class EngineConfig : ManualConfig
{
    public EngineConfig()
    {
        AddJob(Job.ShortRun.WithId("ShortRun"));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}

/// <summary>
/// Leads per second and bytes allocated per lead. A benchmark that runs a whole pipeline per operation has a <c>Leads</c>
/// parameter (the leads per operation); one without it counts one lead per operation (see <c>OperationsPerInvoke</c>).
/// </summary>
public sealed class PerLeadColumn(bool allocation) : IColumn
{
    public string Id => nameof(PerLeadColumn) + (allocation ? "Alloc" : "Rate");

    public string ColumnName => allocation ? "Alloc/lead" : "Leads/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => allocation ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => allocation ? "Bytes allocated per lead (Allocated / Leads)" : "Leads per second (Leads / Mean)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        var leads = LeadsOf(benchmarkCase);
        if (allocation)
        {
            var bytes = report?.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
            return bytes is null ? "-" : (bytes.Value / (double)leads).ToString("N0", CultureInfo.InvariantCulture) + " B";
        }

        var mean = report?.ResultStatistics?.Mean;
        return mean is > 0 ? (leads * 1e9 / mean.Value).ToString("N0", CultureInfo.InvariantCulture) : "-";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    internal static long LeadsOf(BenchmarkCase benchmarkCase)
    {
        foreach (var p in benchmarkCase.Parameters.Items)
        {
            if (p.Name == "Leads" && p.Value is int n)
            {
                return n;
            }
        }

        return 1;
    }
}
