using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

/// <summary>A lead was quarantined.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Timestamp">When.</param>
/// <param name="LeadId">The lead.</param>
/// <param name="Fault">Why.</param>
public sealed record LeadQuarantined(Guid RunId, DateTimeOffset Timestamp, Guid LeadId, LeadFault Fault) : PipelineEvent(RunId, Timestamp);
