namespace Aicmo.Sdk.Domain;

/// <summary>The stored leads a <see cref="PipelineRunKind.Backlog"/> run takes, and the stages it takes them through.</summary>
/// <remarks>
/// Each selected lead enters the pipeline at the first chosen stage. A lead stored in a later state than that stage takes
/// (say, disqualified, when the run starts at <c>score</c>) is moved back to it first, with an audit event saying so
/// (<see cref="LeadStateMachine.CanReenter"/> says which moves are allowed: never back from a lead that was routed or contacted).
/// A lead that leaves the last chosen stage without an outcome stays stored in the state it reached, counted in
/// <see cref="Pipeline.PipelineRunResult.Stored"/>. Leads are read page by page in creation order, so a lead whose state changes while
/// the run reads is taken at most once.
/// </remarks>
public sealed record BacklogSelection
{
    /// <summary>
    /// Gets the stages to run, consecutive in pipeline order (for example <c>["score", "qualify"]</c>, or <c>["route", "nurture"]</c>);
    /// see <see cref="Stages.StageNames"/>. Custom stages may be named too. <c>harvest</c> and <c>dedup</c> cannot.
    /// </summary>
    public required IReadOnlyList<string> Stages { get; init; }

    /// <summary>Gets the states of the leads to take, for example <see cref="LeadStatus.Disqualified"/> and <see cref="LeadStatus.ManualReview"/>.</summary>
    public required IReadOnlyList<LeadStatus> States { get; init; }

    /// <summary>Returns whether <paramref name="other"/> names the same stages and states, in the same order.</summary>
    /// <param name="other">The other selection.</param>
    /// <returns><see langword="true"/> when they are equal by value.</returns>
    public bool Equals(BacklogSelection? other) =>
        other is not null &&
        (ReferenceEquals(this, other) ||
         ((Stages ?? []).SequenceEqual(other.Stages ?? [], StringComparer.Ordinal) && (States ?? []).SequenceEqual(other.States ?? [])));

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var stage in Stages ?? [])
        {
            hash.Add(stage, StringComparer.Ordinal);
        }

        foreach (var state in States ?? [])
        {
            hash.Add(state);
        }

        return hash.ToHashCode();
    }
}
