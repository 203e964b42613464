using System.Collections.Concurrent;
using System.Globalization;
using Aicmo.Sdk.Benchmarks.Infrastructure;
using Aicmo.Sdk.Hosting;
using Aicmo.Sdk.Scheduling;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>
/// One host, the scheduler's own hosted service on the real clock and the in-memory job store, with <see cref="Schedules"/>
/// schedules (one campaign each, so no lease is shared) all due at the same second. An operation starts 10 ms before that second
/// and ends when every one of the jobs (which do nothing) has started: the time is 10 ms plus the lag of the last start. The
/// lag of every start (its wall-clock start minus its scheduled instant) is written per case and shown in the Lag columns.
/// </summary>
[Config(typeof(ScheduleLagConfig))]
public class ScheduleLagBenchmarks
{
    private static readonly List<double[]> IterationLags = [];
    private ServiceProvider? _provider;
    private List<IHostedService> _hosted = [];
    private LagJob? _job;

    [Params(1000)]
    public int Schedules { get; set; }

    /// <summary>The scheduler's cap on jobs running at once: its default (16), and no cap for these schedules.</summary>
    [Params(16, 1000)]
    public int MaxConcurrentJobs { get; set; }

    [IterationSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(Microsoft.Extensions.Logging.Abstractions.NullLogger<>));
        services.AddAicmoPipeline()
            .AddScheduler(o =>
            {
                o.NurturePass = false;
                o.MaxConcurrentJobs = MaxConcurrentJobs;
            })
            .AddScheduledJob<LagJob>();
        _provider = services.BuildServiceProvider();
        _job = _provider.GetServices<IScheduledJob>().OfType<LagJob>().Single();
        _job.Expect(Schedules);

        // Every schedule's next occurrence is the same second, at least 300 ms away.
        var now = DateTimeOffset.UtcNow.AddMilliseconds(300);
        var due = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).AddSeconds(1);
        var cron = string.Create(CultureInfo.InvariantCulture, $"{due.Second} {due.Minute} {due.Hour} * * *");
        var manager = _provider.GetRequiredService<IScheduleManager>();
        for (var i = 0; i < Schedules; i++)
        {
            var id = "s" + i.ToString(CultureInfo.InvariantCulture);
            manager.CreateAsync(new JobSchedule { Id = id, CampaignId = "c" + id, JobKind = LagJob.KindName, Cron = cron }).GetAwaiter().GetResult();
        }

        _hosted = _provider.GetServices<IHostedService>().ToList();
        foreach (var service in _hosted)
        {
            service.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        var wait = due.AddMilliseconds(-10) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            Thread.Sleep(wait);
        }
    }

    [Benchmark]
    public Task AllDueAtOnce() => _job!.AllStarted;

    [IterationCleanup]
    public void Cleanup()
    {
        IterationLags.Add(_job!.Lags());
        foreach (var service in _hosted)
        {
            service.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        _provider!.Dispose();
    }

    [GlobalCleanup]
    public void WriteLags()
    {
        // The measured iterations are the last ones; the jitting and warm-up runs before them are left out.
        var measured = IterationLags.TakeLast(ScheduleLagConfig.Iterations).SelectMany(l => l).Order().ToArray();
        LagColumn.Write(this.Schedules, MaxConcurrentJobs, measured);
    }

    /// <summary>A job that does nothing but record how late it started.</summary>
    public sealed class LagJob : IScheduledJob
    {
        public const string KindName = "lag";
        private readonly ConcurrentQueue<double> _lags = new();
        private TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _expected;

        public string Kind => KindName;

        public Task AllStarted => _all.Task;

        public void Expect(int count)
        {
            _expected = count;
            _lags.Clear();
            _all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public double[] Lags() => [.. _lags];

        public Task<JobOutcome> ExecuteAsync(ScheduledJobContext context, CancellationToken cancellationToken)
        {
            _lags.Enqueue((DateTimeOffset.UtcNow - context.ScheduledAt).TotalMilliseconds);
            if (_lags.Count >= _expected)
            {
                _all.TrySetResult();
            }

            return Task.FromResult(new JobOutcome());
        }
    }
}
