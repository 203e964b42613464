using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

/// <summary>A snapshot of a run's counts.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Harvested">Candidates yielded so far.</param>
/// <param name="Duplicates">Duplicates so far.</param>
/// <param name="Stages">Per-stage counts so far.</param>
public sealed record PipelineProgress(Guid RunId, TimeSpan Elapsed, long Harvested, long Duplicates, IReadOnlyList<StageStatistics> Stages);
