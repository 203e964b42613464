namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>What the process that started a run tells every process about it on the control exchange.</summary>
/// <param name="RunId">The run.</param>
/// <param name="StartedAt">When this start of the run began (a resumed run starts again under the same id).</param>
/// <param name="Cancelled">Whether the run was cancelled (else it ended).</param>
internal sealed record RunControlMessage(Guid RunId, DateTimeOffset StartedAt, bool Cancelled);
