using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

/// <summary>Something that happened in a run.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Timestamp">When, from the pipeline's <see cref="TimeProvider"/>.</param>
public abstract record PipelineEvent(Guid RunId, DateTimeOffset Timestamp);

/// <summary>The run started.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Timestamp">When.</param>
/// <param name="CampaignId">The campaign.</param>
/// <param name="StageNames">The stages, in order.</param>
public sealed record RunStarted(Guid RunId, DateTimeOffset Timestamp, string CampaignId, IReadOnlyList<string> StageNames)
    : PipelineEvent(RunId, Timestamp);

/// <summary>Periodic progress.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Progress">The counts.</param>
public sealed record StageProgress(Guid RunId, DateTimeOffset Timestamp, PipelineProgress Progress) : PipelineEvent(RunId, Timestamp);

/// <summary>A lead was quarantined.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Timestamp">When.</param>
/// <param name="LeadId">The lead.</param>
/// <param name="Fault">Why.</param>
public sealed record LeadQuarantined(Guid RunId, DateTimeOffset Timestamp, Guid LeadId, LeadFault Fault) : PipelineEvent(RunId, Timestamp);

/// <summary>A stage finished: no more leads will enter it in this run.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Statistics">The stage's counts.</param>
public sealed record StageCompleted(Guid RunId, DateTimeOffset Timestamp, StageStatistics Statistics) : PipelineEvent(RunId, Timestamp);

/// <summary>The run ended. Always the last event.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Result">The result.</param>
public sealed record RunCompleted(Guid RunId, DateTimeOffset Timestamp, PipelineRunResult Result) : PipelineEvent(RunId, Timestamp);
