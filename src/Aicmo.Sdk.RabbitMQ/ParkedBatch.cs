namespace Aicmo.Sdk.RabbitMQ;

/// <summary>A batch in the parking queue.</summary>
/// <param name="Message">The batch, or <see langword="null"/> when the parked body is not a batch (it is kept as it came).</param>
/// <param name="Stage">The stage it was meant for, when known.</param>
/// <param name="Reason">
/// Why it was parked: the last attempt's error, or the broker's reason (<c>delivery_limit</c> when its consumers died while
/// working on it more often than the queue's delivery limit allows).
/// </param>
public sealed record ParkedBatch(StageBatchMessage? Message, string? Stage, string Reason);
