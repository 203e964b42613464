using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Aicmo.Sdk.Benchmarks.Infrastructure;

/// <summary>
/// <see cref="ScheduleLagBenchmarks"/>: one operation per iteration (each waits for a second boundary), two warm-ups, a few
/// measured iterations; the Lag columns read what the benchmark process wrote.
/// </summary>
public sealed class ScheduleLagConfig : ManualConfig
{
    public const int Iterations = 5;

    public ScheduleLagConfig()
    {
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(Iterations)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("ScheduleLag"));
        AddColumn(new LagColumn("mean"), new LagColumn("p50"), new LagColumn("p99"), new LagColumn("max"));
    }
}
