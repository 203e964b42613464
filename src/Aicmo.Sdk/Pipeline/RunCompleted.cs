using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

/// <summary>The run ended. Always the last event.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Result">The result.</param>
public sealed record RunCompleted(Guid RunId, DateTimeOffset Timestamp, PipelineRunResult Result) : PipelineEvent(RunId, Timestamp);
