using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

/// <summary>Periodic progress.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Progress">The counts.</param>
public sealed record StageProgress(Guid RunId, DateTimeOffset Timestamp, PipelineProgress Progress) : PipelineEvent(RunId, Timestamp);
