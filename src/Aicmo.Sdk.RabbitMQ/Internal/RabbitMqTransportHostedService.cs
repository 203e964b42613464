using Aicmo.Sdk.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>
/// Starts the RabbitMQ transport with the host: builds the pipeline (so a stage named in
/// <see cref="RabbitMqTransportOptions.Stages"/> that the pipeline does not have fails the host's start, and the pipeline can join
/// runs), and in a worker (<see cref="RabbitMqTransportOptions.JoinRuns"/>) consumes the configured stages' queues from the
/// start. A worker stops consuming when the host stops, leaving the runs it joined; their unacknowledged batches go back to the
/// broker for another process.
/// </summary>
internal sealed class RabbitMqTransportHostedService(IServiceProvider services, RabbitMqLeadBatchTransport transport, IOptions<RabbitMqTransportOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<ILeadPipeline>();
        if (options.Value.JoinRuns)
        {
            await transport.StartConsumingAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => options.Value.JoinRuns ? transport.StopConsumingAsync() : Task.CompletedTask;
}
