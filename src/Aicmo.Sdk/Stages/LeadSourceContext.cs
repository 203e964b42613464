using System.Collections.Frozen;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

/// <summary>What a source knows about the run it is harvested for.</summary>
/// <param name="RunId">The run.</param>
/// <param name="CampaignId">The campaign.</param>
/// <param name="MaxLeads">The most candidates the run will take from all sources together, or <see langword="null"/>.</param>
public sealed record LeadSourceContext(Guid RunId, string CampaignId, long? MaxLeads)
{
    /// <summary>
    /// Gets the <see cref="LeadCandidate.SourcePosition"/> of the last candidate of this source that the run has already taken
    /// (stored, counted as a duplicate or rejected) when the run is resumed, or <see langword="null"/> to read from the start.
    /// A source that sets positions continues after this one; a source that does not may ignore it (what it yields again is
    /// counted as duplicates).
    /// </summary>
    public string? ResumeAfter { get; init; }

    /// <summary>Gets the run's parameters (<see cref="Pipeline.PipelineRunRequest.Parameters"/>), empty when it has none. Keys are compared ordinally.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = FrozenDictionary<string, string>.Empty;
}
