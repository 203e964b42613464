namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>A batch handed to a consumer of one stage, with the id the consumer acknowledges it by.</summary>
/// <typeparam name="T">What the batch carries: candidates for the dedup stage, leads for the lead stages.</typeparam>
/// <param name="Batch">The batch; the consumer owns it until it publishes it on or acknowledges it.</param>
/// <param name="Id">The delivery's id.</param>
internal readonly record struct BatchDelivery<T>(Batch<T> Batch, BatchMessageId Id);
