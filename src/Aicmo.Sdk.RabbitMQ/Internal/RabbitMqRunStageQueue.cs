using System.Collections.Concurrent;
using System.Threading.Channels;
using Aicmo.Sdk.Pipeline.Transport;

namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>
/// One stage's input for one run in this process: publishes the run's batches to the stage's queue with a publisher confirm, and
/// receives the batches of this run that the process's consumer of the stage queue dispatches to it.
/// </summary>
internal sealed class RabbitMqRunStageQueue(RabbitMqLeadBatchTransport owner, RabbitMqBatchPublisher publisher, Guid runId, string stage) : ILeadBatchQueue
{
    private readonly Channel<LeadBatchDelivery> _deliveries = Channel.CreateUnbounded<LeadBatchDelivery>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly ConcurrentDictionary<RabbitMqLeadBatchDelivery, byte> _held = new();
    private volatile bool _closed;

    public Guid RunId => runId;

    public string Stage => stage;

    public ChannelReader<LeadBatchDelivery> Deliveries => _deliveries.Reader;

    public async ValueTask PublishAsync(LeadIdBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.RunId != runId || !string.Equals(batch.Stage, stage, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The batch belongs to run {batch.RunId} at {batch.Stage}, not to this queue's run {runId} at {stage}.", nameof(batch));
        }

        var message = new StageBatchMessage(batch.RunId, batch.CampaignId, batch.BatchId, batch.Stage, 0, batch.LeadIds);
        var waited = TimeSpan.Zero;
        while (true)
        {
            try
            {
                await publisher.PublishAsync(message, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (waited < RecoveryWait && !cancellationToken.IsCancellationRequested && (IsConnectionLoss(ex) || ex is OperationCanceledException))
            {
                // The broker restarted or the network dropped: the client recovers the connection and its channels; publish
                // again then. A publish whose confirm was lost may arrive twice, and the copy finds its leads past the stage.
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
                waited += RetryDelay;
            }
        }
    }

    // How long a publish waits for the connection to come back before the run gives up with the broker's error.
    private static readonly TimeSpan RecoveryWait = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private static bool IsConnectionLoss(Exception ex) =>
        ex is global::RabbitMQ.Client.Exceptions.PublishException publish ? !publish.IsReturn
        : ex is global::RabbitMQ.Client.Exceptions.RabbitMQClientException or System.IO.IOException or System.Net.Sockets.SocketException or TimeoutException;

    /// <summary>Hands a delivery to the run and waits until the run acknowledged it.</summary>
    /// <exception cref="InvalidOperationException">The run closed this queue before acknowledging the batch.</exception>
    public async Task DeliverAsync(StageBatchDelivery delivery, CancellationToken cancellationToken)
    {
        var handed = new RabbitMqLeadBatchDelivery(delivery, owner.SendReportAsync);
        _held.TryAdd(handed, 0);
        try
        {
            if (_closed || !_deliveries.Writer.TryWrite(handed))
            {
                throw Closed();
            }

            if (_closed)
            {
                handed.Release(Closed());
            }

            await handed.Acknowledged.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _held.TryRemove(handed, out _);
        }
    }

    public ValueTask DisposeAsync()
    {
        _closed = true;
        owner.Close(this);
        _deliveries.Writer.TryComplete();
        foreach (var handed in _held.Keys)
        {
            handed.Release(Closed());
        }

        return default;
    }

    private InvalidOperationException Closed() =>
        new($"Run {runId} closed its {stage} queue in this process before the batch was acknowledged.");
}
