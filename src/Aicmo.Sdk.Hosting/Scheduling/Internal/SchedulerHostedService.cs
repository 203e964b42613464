using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>Runs the <see cref="JobScheduler"/> while the host runs; on stop, cancels its jobs and waits for them to checkpoint.</summary>
internal sealed class SchedulerHostedService(JobScheduler scheduler, ILogger<SchedulerHostedService> logger) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await scheduler.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var initialized = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = TimeSpan.FromSeconds(1);
            try
            {
                if (!initialized)
                {
                    await scheduler.InitializeAsync(stoppingToken).ConfigureAwait(false);
                    initialized = true;
                }

                delay = await scheduler.TickAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                SchedulerLog.TickFailed(logger, ex);
            }

            try
            {
                await scheduler.WaitForNextLookAsync(delay, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
