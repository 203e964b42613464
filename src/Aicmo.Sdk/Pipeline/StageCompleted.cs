using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

/// <summary>A stage finished: no more leads will enter it in this run.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Statistics">The stage's counts.</param>
public sealed record StageCompleted(Guid RunId, DateTimeOffset Timestamp, StageStatistics Statistics) : PipelineEvent(RunId, Timestamp);
