using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

/// <summary>Something that happened in a run.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Timestamp">When, from the pipeline's <see cref="TimeProvider"/>.</param>
public abstract record PipelineEvent(Guid RunId, DateTimeOffset Timestamp);
