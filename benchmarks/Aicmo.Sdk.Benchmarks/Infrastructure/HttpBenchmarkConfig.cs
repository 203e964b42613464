using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace Aicmo.Sdk.Benchmarks.Infrastructure;

/// <summary>
/// The HTTP provider benchmarks: client and Kestrel server share this process and its two cores, so absolute rates include the
/// server's work; the ratios to the hand-written baselines (same server, same pages) are what compare. A short job.
/// </summary>
public sealed class HttpBenchmarkConfig : ManualConfig
{
    public HttpBenchmarkConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(8).WithId("Http"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(new PerLeadColumn(allocation: false), new PerLeadColumn(allocation: true));
    }
}
