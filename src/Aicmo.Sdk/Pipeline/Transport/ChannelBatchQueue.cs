using System.Threading.Channels;

namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// One stage's input in process: a bounded channel of batches. Bounded, so a slow stage stalls the ones before it instead of
/// buffering without limit. A batch that was consumed cannot be lost to another process, so acknowledging it costs nothing.
/// </summary>
/// <typeparam name="T">What the batches carry.</typeparam>
internal sealed class ChannelBatchQueue<T> : IBatchQueue<T>
{
    private readonly Channel<BatchDelivery<T>> _channel;
    private readonly Guid _runId;
    private readonly int _slot;
    private readonly Func<long> _nextBatch;
    private long _depth;

    /// <param name="runId">The run.</param>
    /// <param name="slot">The queue's slot: 0 for the dedup stage, <c>i + 1</c> for lead stage <c>i</c>.</param>
    /// <param name="capacity">The number of batches the queue holds before a publisher waits.</param>
    /// <param name="singleWriter">Whether one producer alone publishes.</param>
    /// <param name="singleReader">Whether one consumer alone consumes.</param>
    /// <param name="nextBatch">Numbers the run's batches.</param>
    public ChannelBatchQueue(Guid runId, int slot, int capacity, bool singleWriter, bool singleReader, Func<long> nextBatch)
    {
        _runId = runId;
        _slot = slot;
        _nextBatch = nextBatch;
        _channel = Channel.CreateBounded<BatchDelivery<T>>(new BoundedChannelOptions(capacity)
        {
            SingleWriter = singleWriter,
            SingleReader = singleReader,
        });
    }

    public int Depth => (int)Math.Max(0, Volatile.Read(ref _depth));

    public async ValueTask PublishAsync(Batch<T> batch, CancellationToken cancellationToken)
    {
        var count = batch.Count;
        Interlocked.Add(ref _depth, count);
        try
        {
            await _channel.Writer.WriteAsync(new BatchDelivery<T>(batch, new BatchMessageId(_runId, _nextBatch(), _slot, 1)), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Add(ref _depth, -count);
            throw;
        }
    }

    public void Complete() => _channel.Writer.TryComplete();

    public ValueTask<bool> WaitToConsumeAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    public bool TryConsume(out BatchDelivery<T> delivery)
    {
        if (_channel.Reader.TryRead(out delivery))
        {
            Interlocked.Add(ref _depth, -delivery.Batch.Count);
            return true;
        }

        return false;
    }

    public ValueTask AcknowledgeAsync(in BatchDelivery<T> delivery) => default;

    public bool TryTakeUnconsumed(out Batch<T> batch)
    {
        if (TryConsume(out var delivery))
        {
            batch = delivery.Batch;
            return true;
        }

        batch = null!;
        return false;
    }
}
