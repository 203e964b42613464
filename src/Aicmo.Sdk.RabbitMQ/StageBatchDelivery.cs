namespace Aicmo.Sdk.RabbitMQ;

/// <summary>A batch as a consumer received it.</summary>
/// <param name="Message">The batch.</param>
/// <param name="Redelivered">
/// Whether the broker delivered it before and that delivery was never acknowledged (a consumer died or lost its connection while
/// working on it): the stage's writes may have happened already, and the stores' compare-and-set and the outbox keep them once.
/// </param>
/// <param name="DeliveryCount">How many earlier deliveries the broker counted for this message (quorum queues' <c>x-delivery-count</c>).</param>
public sealed record StageBatchDelivery(StageBatchMessage Message, bool Redelivered, long DeliveryCount);
