namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// Names one delivery of one batch to one stage: a transport that can deliver a batch again (after a crash, or when a consumer
/// did not acknowledge it) uses it to recognize a redelivery, and a delivery after a failed attempt carries a higher
/// <see cref="Attempt"/>.
/// </summary>
/// <param name="RunId">The run the batch belongs to.</param>
/// <param name="Batch">The batch's number within the run, unique per run.</param>
/// <param name="Stage">The slot the batch was published to: 0 for the dedup stage, <c>i + 1</c> for lead stage <c>i</c>.</param>
/// <param name="Attempt">The delivery attempt, from 1.</param>
internal readonly record struct BatchMessageId(Guid RunId, long Batch, int Stage, int Attempt);
