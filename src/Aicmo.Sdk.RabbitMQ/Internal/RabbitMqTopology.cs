using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>
/// Declares the exchanges and queues the transport uses. Every declaration is idempotent: starting a process declares them
/// again with the same arguments, and the client's topology recovery declares them again after a reconnect.
/// </summary>
internal static class RabbitMqTopology
{
    public static async Task DeclareAsync(IChannel channel, RabbitMqNames names, IEnumerable<string> stages, int deliveryLimit, CancellationToken cancellationToken)
    {
        try
        {
            await channel.ExchangeDeclareAsync(names.Exchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.ExchangeDeclareAsync(names.ParkingExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.QueueDeclareAsync(names.ParkingQueue, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.QueueBindAsync(names.ParkingQueue, names.ParkingExchange, routingKey: string.Empty, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var stage in stages)
            {
                var queue = names.StageQueue(stage);
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                    arguments: StageQueueArguments(names, deliveryLimit), cancellationToken: cancellationToken).ConfigureAwait(false);
                await channel.QueueBindAsync(queue, names.Exchange, routingKey: stage, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 406)
        {
            throw new InvalidOperationException(
                $"The broker already has a queue or exchange under the prefix '{names.Exchange}' declared with other arguments ({ex.ShutdownReason.ReplyText}). " +
                "Delete it, or choose another RabbitMqTransportOptions.QueuePrefix.", ex);
        }
    }

    /// <summary>Declares the exchanges runs are coordinated through: batch reports (direct, by run id) and run control (fanout).</summary>
    public static async Task DeclareCoordinationAsync(IChannel channel, RabbitMqNames names, CancellationToken cancellationToken)
    {
        try
        {
            await channel.ExchangeDeclareAsync(names.RunsExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.ExchangeDeclareAsync(names.ControlExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 406)
        {
            throw new InvalidOperationException(
                $"The broker already has an exchange under the prefix '{names.Exchange}' declared with other arguments ({ex.ShutdownReason.ReplyText}). " +
                "Delete it, or choose another RabbitMqTransportOptions.QueuePrefix.", ex);
        }
    }

    private static Dictionary<string, object?> StageQueueArguments(RabbitMqNames names, int deliveryLimit) => new()
    {
        ["x-queue-type"] = "quorum",
        ["x-delivery-limit"] = deliveryLimit,
        ["x-dead-letter-exchange"] = names.ParkingExchange,
    };
}
