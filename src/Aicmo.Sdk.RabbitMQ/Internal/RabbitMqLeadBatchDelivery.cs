using Aicmo.Sdk.Pipeline.Transport;

namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>
/// A batch handed from a stage queue's consumer to the run that works on it in this process. The consumer's handler waits for
/// <see cref="Acknowledged"/>: acknowledging here lets it acknowledge the broker's delivery; a failure makes it publish the batch
/// again with its attempt count raised (or park it after the last attempt).
/// </summary>
/// <remarks>A batch of a run this process joined is acknowledged with a report, sent to the run's origin first.</remarks>
internal sealed class RabbitMqLeadBatchDelivery(StageBatchDelivery delivery, Func<LeadBatchReport, CancellationToken, Task> sendReport)
    : LeadBatchDelivery(ToBatch(delivery.Message), delivery.Message.Attempt + 1, delivery.Redelivered || delivery.DeliveryCount > 0)
{
    private readonly TaskCompletionSource _acknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the run acknowledged the batch; faults when the run let go of it unacknowledged.</summary>
    public Task Acknowledged => _acknowledged.Task;

    public override ValueTask AcknowledgeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _acknowledged.TrySetResult();
        return default;
    }

    public override async ValueTask AcknowledgeAsync(LeadBatchReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await sendReport(report, cancellationToken).ConfigureAwait(false);
        _acknowledged.TrySetResult();
    }

    /// <summary>Lets go of the batch unacknowledged: the consumer publishes it again.</summary>
    public void Release(Exception reason) => _acknowledged.TrySetException(reason);

    private static LeadIdBatch ToBatch(StageBatchMessage message) =>
        new(message.RunId, message.CampaignId, message.BatchId, message.Stage, message.LeadIds);
}
