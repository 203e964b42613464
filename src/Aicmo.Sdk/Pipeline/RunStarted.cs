using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

/// <summary>The run started.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Timestamp">When.</param>
/// <param name="CampaignId">The campaign.</param>
/// <param name="StageNames">The stages, in order.</param>
public sealed record RunStarted(Guid RunId, DateTimeOffset Timestamp, string CampaignId, IReadOnlyList<string> StageNames)
    : PipelineEvent(RunId, Timestamp);
