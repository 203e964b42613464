using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

/// <summary>A candidate and the name of the source that yielded it.</summary>
internal readonly record struct SourcedCandidate(LeadCandidate Candidate, string Source);
