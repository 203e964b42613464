using System.Collections.Concurrent;
using Aicmo.Sdk.Pipeline.Transport;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>
/// The pipeline's transport over RabbitMQ: one quorum queue per stage, shared by every run; in each process one consumer per
/// stage queue (with the configured prefetch and concurrency), which hands each batch to the run that opened that stage in
/// this process and acknowledges the broker's delivery only once the run acknowledged the batch. With an inbox (the store's
/// <see cref="IMessageInbox"/>), a batch's message id is recorded once its run acknowledged it, and a delivery whose id is
/// recorded already (the broker delivering again what was handled before its acknowledgement reached it) is acknowledged and
/// dropped without reading a lead.
/// </summary>
internal sealed class RabbitMqLeadBatchTransport(
    RabbitMqConnectionProvider connections, ILogger logger, IMessageInbox? inbox = null, TimeProvider? timeProvider = null) : ILeadBatchTransport, IAsyncDisposable
{
    // A batch of a run this process has no queue open for waits this long before it is handed back, so it does not spin.
    private static readonly TimeSpan UnknownRunDelay = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, RabbitMqBatchConsumer> _consumers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(Guid RunId, string Stage), RabbitMqRunStageQueue> _open = new();
    private RabbitMqBatchPublisher? _publisher;
    private bool _disposed;

    public async ValueTask<ILeadBatchQueue> OpenAsync(Guid runId, string campaignId, string stage, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        var publisher = await EnsureStageAsync(stage, cancellationToken).ConfigureAwait(false);
        var queue = new RabbitMqRunStageQueue(this, publisher, runId, stage);
        if (!_open.TryAdd((runId, stage), queue))
        {
            throw new InvalidOperationException($"Run {runId} already has its {stage} queue open in this process.");
        }

        return queue;
    }

    /// <summary>Forgets a run's queue once the run closed it.</summary>
    public void Close(RabbitMqRunStageQueue queue) => _open.TryRemove(KeyValuePair.Create((queue.RunId, queue.Stage), queue));

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            foreach (var consumer in _consumers.Values)
            {
                await consumer.DisposeAsync().ConfigureAwait(false);
            }

            _consumers.Clear();
            if (_publisher is not null)
            {
                await _publisher.DisposeAsync().ConfigureAwait(false);
                _publisher = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    // Declares the stage's queue and starts this process's consumer of it, once.
    private async ValueTask<RabbitMqBatchPublisher> EnsureStageAsync(string stage, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _publisher ??= await RabbitMqBatchPublisher.CreateAsync(connections, cancellationToken).ConfigureAwait(false);
            if (!_consumers.ContainsKey(stage))
            {
                var connection = await connections.GetAsync(cancellationToken).ConfigureAwait(false);
                var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (channel.ConfigureAwait(false))
                {
                    await RabbitMqTopology.DeclareAsync(channel, connections.Names, [stage], connections.Options.DeliveryLimit, cancellationToken).ConfigureAwait(false);
                }

                _consumers[stage] = await RabbitMqBatchConsumer.StartAsync(
                    connections, _publisher, stage, (delivery, token) => DispatchAsync(stage, delivery, token), logger, cancellationToken).ConfigureAwait(false);
            }

            return _publisher;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DispatchAsync(string stage, StageBatchDelivery delivery, CancellationToken cancellationToken)
    {
        var runId = delivery.Message.RunId;
        var messageId = delivery.Message.MessageId;
        if (inbox is not null && await inbox.ContainsAsync(messageId, cancellationToken).ConfigureAwait(false))
        {
            RabbitMqMetrics.Dropped.Add(1, new KeyValuePair<string, object?>("stage", stage));
            return;
        }

        if (!_open.TryGetValue((runId, stage), out var queue))
        {
            // Published again with its attempt raised, and parked after the last attempt: a run no process works on any more.
            await Task.Delay(UnknownRunDelay, cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"No process has run {runId}'s {stage} stage open.");
        }

        await queue.DeliverAsync(delivery, cancellationToken).ConfigureAwait(false);
        if (inbox is not null)
        {
            await inbox.TryRecordAsync(messageId, (timeProvider ?? TimeProvider.System).GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
    }
}
