using Aicmo.Sdk.RabbitMQ.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Aicmo.Sdk.RabbitMQ;

/// <summary>
/// Reports whether the broker is reachable and the transport's parking queue is declared, with the number of parked batches;
/// meant for <c>/health/ready</c>.
/// </summary>
public sealed class RabbitMqHealthCheck : IHealthCheck
{
    private readonly RabbitMqConnectionProvider _connections;

    internal RabbitMqHealthCheck(RabbitMqConnectionProvider connections) => _connections = connections;

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connection = await _connections.GetAsync(cancellationToken).ConfigureAwait(false);
            if (!connection.IsOpen)
            {
                return HealthCheckResult.Unhealthy("The connection to the broker is closed; the client is recovering it.");
            }

            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var parking = await channel.QueueDeclarePassiveAsync(_connections.Names.ParkingQueue, cancellationToken).ConfigureAwait(false);
            RabbitMqMetrics.RecordDepth(_connections.Names.ParkingQueue, parking.MessageCount);
            await channel.CloseAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy(
                "The broker answers and the transport's queues are declared.",
                new Dictionary<string, object> { ["parked"] = parking.MessageCount });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A health check reports every failure as unhealthy.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy($"The broker is not reachable or the transport's queues are missing: {ex.Message}", ex);
        }
    }
}
