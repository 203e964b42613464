namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// An event that whoever drives a run adds to the run's stream with <see cref="IPipelineRun.Annotate"/> (a scheduler says which
/// job fired the run, or which later fire it caused to be skipped); the runner itself never publishes one.
/// </summary>
/// <param name="RunId">The run it is about.</param>
/// <param name="Timestamp">When it happened.</param>
public abstract record RunAnnotation(Guid RunId, DateTimeOffset Timestamp) : PipelineEvent(RunId, Timestamp);
