using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>
/// Listens on a queue of this process's own bound to an exchange: the run control fanout, which every process hears (an
/// exclusive queue named by the broker), or the reports of one run, which only its origin hears (a quorum queue, so reports
/// outlive a broker restart; it expires an hour after its last consumer left and is deleted when the run ends). Messages are
/// handled one at a time and acknowledged after the handler returned; a message that is not what the queue carries is logged
/// and dropped.
/// </summary>
/// <typeparam name="T">What the messages carry.</typeparam>
internal sealed partial class RabbitMqMessageListener<T> : IAsyncDisposable
    where T : class
{
    private readonly IChannel _channel;
    private readonly JsonTypeInfo<T> _type;
    private readonly Func<T, ValueTask> _handler;
    private readonly ILogger _logger;
    private readonly string _queue;
    private readonly bool _delete;
    private string? _consumerTag;

    private RabbitMqMessageListener(IChannel channel, string queue, bool delete, JsonTypeInfo<T> type, Func<T, ValueTask> handler, ILogger logger)
    {
        _delete = delete;
        _channel = channel;
        _queue = queue;
        _type = type;
        _handler = handler;
        _logger = logger;
    }

    /// <summary>
    /// Declares the queue, binds it and starts consuming: with an empty <paramref name="queue"/>, an exclusive queue named by the
    /// broker; else a durable quorum queue of that name, deleted when the listener is disposed.
    /// </summary>
    public static async Task<RabbitMqMessageListener<T>> StartAsync(
        RabbitMqConnectionProvider connections, string queue, string exchange, string routingKey, JsonTypeInfo<T> type, Func<T, ValueTask> handler, ILogger logger,
        CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(cancellationToken).ConfigureAwait(false);
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            await RabbitMqTopology.DeclareCoordinationAsync(channel, connections.Names, cancellationToken).ConfigureAwait(false);
            var named = queue.Length > 0;
            var declared = named
                ? await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
                {
                    ["x-queue-type"] = "quorum",
                    ["x-expires"] = (int)TimeSpan.FromHours(1).TotalMilliseconds,
                }, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.QueueBindAsync(declared.QueueName, exchange, routingKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            var listener = new RabbitMqMessageListener<T>(channel, declared.QueueName, named, type, handler, logger);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += listener.OnReceivedAsync;
            listener._consumerTag = await channel.BasicConsumeAsync(declared.QueueName, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
            return listener;
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        T? message = null;
        try
        {
            message = JsonSerializer.Deserialize(delivery.Body.Span, _type);
        }
        catch (JsonException ex)
        {
            LogMalformed(_logger, _queue, ex.Message);
        }

        if (message is not null)
        {
            try
            {
                await _handler(message).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One message that cannot be handled must not stop the listener.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(_logger, _queue, ex);
            }
        }

        await _channel.BasicAckAsync(delivery.DeliveryTag, multiple: false).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel.IsOpen)
        {
            try
            {
                if (_consumerTag is not null)
                {
                    await _channel.BasicCancelAsync(_consumerTag).ConfigureAwait(false);
                }

                if (_delete)
                {
                    await _channel.QueueDeleteAsync(_queue).ConfigureAwait(false);
                }

                await _channel.CloseAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is global::RabbitMQ.Client.Exceptions.RabbitMQClientException or IOException or ObjectDisposedException)
            {
                // The connection is going or gone: the exclusive queue goes with it.
            }
        }

        _channel.Dispose();
    }

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning, Message = "A message on {Queue} is not what the queue carries ({Error}); it was dropped.")]
    private static partial void LogMalformed(ILogger logger, string queue, string error);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Error, Message = "A message on {Queue} could not be handled; it was dropped.")]
    private static partial void LogFailed(ILogger logger, string queue, Exception exception);
}
