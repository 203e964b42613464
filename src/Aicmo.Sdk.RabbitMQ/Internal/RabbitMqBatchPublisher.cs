using System.Text.Json;
using RabbitMQ.Client;

namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>
/// Publishes batches to stage queues on a channel with publisher confirms: each publish returns once the broker has the batch
/// (or throws <c>PublishException</c> when it refused it or could not route it), and at
/// most <see cref="RabbitMqTransportOptions.MaxOutstandingConfirms"/> publishes wait for their confirm at once.
/// </summary>
internal sealed class RabbitMqBatchPublisher : IAsyncDisposable
{
    private readonly IChannel _channel;
    private readonly RabbitMqNames _names;

    private RabbitMqBatchPublisher(IChannel channel, RabbitMqNames names)
    {
        _channel = channel;
        _names = names;
    }

    public static async Task<RabbitMqBatchPublisher> CreateAsync(RabbitMqConnectionProvider connections, CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(cancellationToken).ConfigureAwait(false);
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(
                publisherConfirmationsEnabled: true,
                publisherConfirmationTrackingEnabled: true,
                outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(connections.Options.MaxOutstandingConfirms)),
            cancellationToken).ConfigureAwait(false);
        return new RabbitMqBatchPublisher(channel, connections.Names);
    }

    /// <summary>Publishes a batch to its stage's queue and waits for the broker's confirm.</summary>
    public async Task PublishAsync(StageBatchMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = JsonSerializer.SerializeToUtf8Bytes(message, StageBatchJsonContext.Default.StageBatchMessage);
        await _channel.BasicPublishAsync(_names.Exchange, message.Stage, mandatory: true, Properties(message, reason: null), body, cancellationToken).ConfigureAwait(false);
        RabbitMqMetrics.Published.Add(1, new KeyValuePair<string, object?>("stage", message.Stage));
    }

    /// <summary>Publishes a batch to the parking queue with the reason it was parked, and waits for the broker's confirm.</summary>
    public async Task ParkAsync(StageBatchMessage message, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = JsonSerializer.SerializeToUtf8Bytes(message, StageBatchJsonContext.Default.StageBatchMessage);
        await _channel.BasicPublishAsync(_names.ParkingExchange, string.Empty, mandatory: true, Properties(message, reason), body, cancellationToken).ConfigureAwait(false);
        RabbitMqMetrics.Parked.Add(1, new KeyValuePair<string, object?>("stage", message.Stage));
    }

    /// <summary>
    /// Publishes a batch report to the process that started its run and waits for the broker's confirm. Not mandatory: when the
    /// run's queue is gone, its origin is too, and the report has no one to reach.
    /// </summary>
    public async Task PublishReportAsync(Aicmo.Sdk.Pipeline.Transport.LeadBatchReport report, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(report, StageBatchJsonContext.Default.LeadBatchReport);
        var properties = new BasicProperties { ContentType = "application/json", Type = "aicmo.batch-report" };
        await _channel.BasicPublishAsync(_names.RunsExchange, RabbitMqNames.RunKey(report.RunId), mandatory: false, properties, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells every process that a run ended or was cancelled, and waits for the broker's confirm.</summary>
    public async Task PublishControlAsync(RunControlMessage message, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message, StageBatchJsonContext.Default.RunControlMessage);
        var properties = new BasicProperties { ContentType = "application/json", Type = "aicmo.run-control" };
        await _channel.BasicPublishAsync(_names.ControlExchange, string.Empty, mandatory: false, properties, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Parks a body that is not a batch at all, as it came, so nothing is lost and a person can read it.</summary>
    public async Task ParkRawAsync(ReadOnlyMemory<byte> body, string? stage, string reason, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            Headers = new Dictionary<string, object?> { [RabbitMqNames.ParkReasonHeader] = reason, [RabbitMqNames.StageHeader] = stage },
        };
        await _channel.BasicPublishAsync(_names.ParkingExchange, string.Empty, mandatory: true, properties, body, cancellationToken).ConfigureAwait(false);
        RabbitMqMetrics.Parked.Add(1, new KeyValuePair<string, object?>("stage", stage));
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel.IsOpen)
        {
            await _channel.CloseAsync().ConfigureAwait(false);
        }

        _channel.Dispose();
    }

    private static BasicProperties Properties(StageBatchMessage message, string? reason)
    {
        var headers = new Dictionary<string, object?>
        {
            [RabbitMqNames.AttemptHeader] = message.Attempt,
            [RabbitMqNames.StageHeader] = message.Stage,
        };
        if (reason is not null)
        {
            headers[RabbitMqNames.ParkReasonHeader] = reason;
        }

        return new BasicProperties
        {
            Persistent = true,
            MessageId = message.MessageId,
            ContentType = "application/json",
            Type = "aicmo.stage-batch",
            Headers = headers,
        };
    }
}
