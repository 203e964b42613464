using System.Text.Json;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>
/// Consumes one stage's queue with manual acknowledgements: a batch is acknowledged only after the handler returned (the
/// stage's writes have committed). When the handler throws, the batch is published again with its attempt count raised, or
/// parked with the reason after <see cref="RabbitMqTransportOptions.MaxAttempts"/>; only then is the delivery acknowledged,
/// so a crash at any point leaves the batch in the broker.
/// </summary>
internal sealed partial class RabbitMqBatchConsumer : IAsyncDisposable
{
    private readonly IChannel _channel;
    private readonly RabbitMqBatchPublisher _publisher;
    private readonly Func<StageBatchDelivery, CancellationToken, Task> _handler;
    private readonly string _stage;
    private readonly int _maxAttempts;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private string? _consumerTag;

    private RabbitMqBatchConsumer(IChannel channel, RabbitMqBatchPublisher publisher, string stage, int maxAttempts,
        Func<StageBatchDelivery, CancellationToken, Task> handler, ILogger logger)
    {
        _channel = channel;
        _publisher = publisher;
        _stage = stage;
        _maxAttempts = maxAttempts;
        _handler = handler;
        _logger = logger;
    }

    public static async Task<RabbitMqBatchConsumer> StartAsync(RabbitMqConnectionProvider connections, RabbitMqBatchPublisher publisher, string stage,
        Func<StageBatchDelivery, CancellationToken, Task> handler, ILogger logger, CancellationToken cancellationToken)
    {
        var options = connections.Options;
        var connection = await connections.GetAsync(cancellationToken).ConfigureAwait(false);
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false,
                consumerDispatchConcurrency: options.ConsumerConcurrency),
            cancellationToken).ConfigureAwait(false);
        await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: options.Prefetch, global: false, cancellationToken).ConfigureAwait(false);

        var consumer = new RabbitMqBatchConsumer(channel, publisher, stage, options.MaxAttempts, handler, logger);
        var basicConsumer = new AsyncEventingBasicConsumer(channel);
        basicConsumer.ReceivedAsync += consumer.OnReceivedAsync;
        consumer._consumerTag = await channel.BasicConsumeAsync(connections.Names.StageQueue(stage), autoAck: false, basicConsumer, cancellationToken).ConfigureAwait(false);
        return consumer;
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        var cancellationToken = _stopping.Token;
        StageBatchMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(delivery.Body.Span, StageBatchJsonContext.Default.StageBatchMessage);
        }
        catch (JsonException ex)
        {
            message = null;
            LogMalformed(_logger, _stage, ex.Message);
        }

        if (message is null || message.LeadIds is null || message.Stage != _stage)
        {
            await _publisher.ParkRawAsync(delivery.Body, _stage, "The message is not a batch for this stage.", cancellationToken).ConfigureAwait(false);
            await _channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken).ConfigureAwait(false);
            return;
        }

        var deliveryCount = RabbitMqHeaders.Number(delivery.BasicProperties, "x-delivery-count") ?? 0;
        if (delivery.Redelivered || deliveryCount > 0)
        {
            RabbitMqMetrics.Redeliveries.Add(1, new KeyValuePair<string, object?>("stage", _stage));
        }

        try
        {
            await _handler(new StageBatchDelivery(message, delivery.Redelivered, deliveryCount), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the delivery stays unacknowledged, and the broker hands it to another consumer.
            return;
        }
#pragma warning disable CA1031 // A stage's failure of any kind is retried or parked; it must never leave the batch nowhere.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var next = message with { Attempt = message.Attempt + 1 };
            if (next.Attempt >= _maxAttempts)
            {
                var reason = $"{ex.GetType().Name}: {ex.Message}";
                LogParked(_logger, message.MessageId, _stage, next.Attempt, reason);
                await _publisher.ParkAsync(next, reason, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                LogRetried(_logger, message.MessageId, _stage, next.Attempt, ex.Message);
                await _publisher.PublishAsync(next, cancellationToken).ConfigureAwait(false);
                RabbitMqMetrics.Retried.Add(1, new KeyValuePair<string, object?>("stage", _stage));
            }
        }

        await _channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_channel.IsOpen)
        {
            if (_consumerTag is not null)
            {
                await _channel.BasicCancelAsync(_consumerTag).ConfigureAwait(false);
            }

            await _channel.CloseAsync().ConfigureAwait(false);
        }

        _channel.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "A message on the {Stage} queue is not a batch ({Error}); it was parked as it came.")]
    private static partial void LogMalformed(ILogger logger, string stage, string error);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Batch {MessageId} failed at {Stage}; published again as attempt {Attempt}: {Error}")]
    private static partial void LogRetried(ILogger logger, string messageId, string stage, int attempt, string error);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Batch {MessageId} failed at {Stage} on its last attempt ({Attempts}) and was parked: {Reason}")]
    private static partial void LogParked(ILogger logger, string messageId, string stage, int attempts, string reason);
}
