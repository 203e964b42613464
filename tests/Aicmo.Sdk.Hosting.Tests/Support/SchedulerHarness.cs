using Aicmo.Sdk.Hosting.Internal;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Hosting.Tests.Support;

/// <summary>
/// A scheduler on in-memory stores and a <see cref="FakeTimeProvider"/>: <see cref="RunUntilAsync"/> moves simulated time from
/// one due instant to the next, looking at the store at each and waiting for the jobs it started.
/// </summary>
internal sealed class SchedulerHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public SchedulerHarness(DateTimeOffset start, Action<SchedulerOptions>? configure = null, Action<IAicmoPipelineBuilder>? pipeline = null)
    {
        Time = new FakeTimeProvider(start);
        var services = new ServiceCollection();
        services.AddLogging();
        var builder = services.AddAicmoPipeline().UseTimeProvider(Time).AddScheduler(o =>
        {
            o.NurturePass = false;
            o.PollInterval = TimeSpan.FromHours(1);
            configure?.Invoke(o);
        });
        builder.AddScheduledJob<RecordingJob>();
        pipeline?.Invoke(builder);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Scheduler = _provider.GetRequiredService<JobScheduler>();
    }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => _provider;

    /// <summary>Gets the scheduler of the host now running; <see cref="RestartAsync"/> replaces it, as a new process would.</summary>
    public JobScheduler Scheduler { get; private set; }

    public IJobStore Store => _provider.GetRequiredService<IJobStore>();

    public IScheduleManager Manager => _provider.GetRequiredService<IScheduleManager>();

    public RecordingJob Job => (RecordingJob)_provider.GetServices<IScheduledJob>().Single(j => j.Kind == RecordingJob.KindName);

    public async Task InitializeAsync() => await Scheduler.InitializeAsync(CancellationToken.None);

    /// <summary>Stops the current scheduler and starts a new one on the same store (a host restart).</summary>
    public async Task RestartAsync()
    {
        await Scheduler.StopAsync(CancellationToken.None);
        Scheduler = ActivatorUtilities.CreateInstance<JobScheduler>(_provider);
        await Scheduler.InitializeAsync(CancellationToken.None);
    }

    /// <summary>Runs the scheduler from now until <paramref name="end"/>, jumping from one due instant to the next.</summary>
    public async Task RunUntilAsync(DateTimeOffset end)
    {
        while (true)
        {
            await Scheduler.TickAsync(CancellationToken.None);
            await Scheduler.WhenIdleAsync();

            // A second look: jobs that ended may have planned retries, which the first look could not know.
            var delay = await Scheduler.TickAsync(CancellationToken.None);
            await Scheduler.WhenIdleAsync();
            var now = Time.GetUtcNow();
            if (now >= end)
            {
                return;
            }

            Time.Advance(now + delay > end ? end - now : delay);
        }
    }

    public async Task<IReadOnlyList<JobResult>> ResultsAsync(string campaignId, string? scheduleId = null)
    {
        var results = await Store.QueryResultsAsync(new JobResultQuery { CampaignId = campaignId, ScheduleId = scheduleId, Take = 100_000 });
        return results.OrderBy(r => r.ScheduledAt).ThenBy(r => r.Attempt).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Scheduler.StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
    }
}
