namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// The input of one stage in a transport: producers publish batches to it, the stage's workers consume them and acknowledge
/// each one once the stage's writes for it have committed. Shaped like a channel reader and writer so the in-process transport
/// costs no more than the bounded channel it wraps; a transport across processes keeps a delivery until it is acknowledged and
/// delivers it again (with the same <see cref="BatchMessageId.Batch"/>) when its consumer dies first.
/// </summary>
/// <typeparam name="T">What the batches carry.</typeparam>
internal interface IBatchQueue<T>
{
    /// <summary>Gets the number of items (not batches) published and not consumed yet, for progress and the queue-depth metric.</summary>
    int Depth { get; }

    /// <summary>
    /// Publishes a batch; completes once the transport has taken it (the wait is the backpressure of a full queue). The caller
    /// lets go of the batch: a consumer may already be changing it.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the batch was taken;
    /// the batch is still the caller's.</exception>
    ValueTask PublishAsync(Batch<T> batch, CancellationToken cancellationToken);

    /// <summary>Marks that no more batches will be published; consumers finish once they have consumed what was.</summary>
    void Complete();

    /// <summary>Waits until a batch can be consumed; <see langword="false"/> once the queue is complete and empty.</summary>
    ValueTask<bool> WaitToConsumeAsync(CancellationToken cancellationToken);

    /// <summary>Takes the next batch, if one is there.</summary>
    bool TryConsume(out BatchDelivery<T> delivery);

    /// <summary>
    /// Acknowledges a delivery: the stage's writes for it have committed (its leads stored, or published to the next stage), so
    /// the transport never delivers it again.
    /// </summary>
    ValueTask AcknowledgeAsync(in BatchDelivery<T> delivery);

    /// <summary>
    /// Takes back, once the consumers have stopped, a batch that was published and never consumed, so the run can count it
    /// pending; a transport that keeps undelivered batches itself (to deliver them to a later consumer) returns none.
    /// </summary>
    bool TryTakeUnconsumed(out Batch<T> batch);
}
