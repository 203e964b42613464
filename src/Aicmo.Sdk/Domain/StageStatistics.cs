using System.Text.Json.Serialization;

namespace Aicmo.Sdk.Domain;

/// <summary>Counts and timing of one stage in one run.</summary>
public sealed record StageStatistics
{
    /// <summary>Gets the stage name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets how many items entered the stage (for <c>harvest</c>, how many the sources yielded).</summary>
    public long In { get; init; }

    /// <summary>Gets how many leads left the stage for the next one.</summary>
    public long Out { get; init; }

    /// <summary>Gets how many candidates the stage found to be duplicates (only <c>dedup</c>).</summary>
    public long Duplicates { get; init; }

    /// <summary>Gets how many leads the stage disqualified.</summary>
    public long Disqualified { get; init; }

    /// <summary>Gets how many leads the stage sent to manual review.</summary>
    public long ManualReview { get; init; }

    /// <summary>Gets how many leads ended the run routed but not contacted at this stage (dry run).</summary>
    public long Routed { get; init; }

    /// <summary>Gets how many leads the stage contacted.</summary>
    public long Contacted { get; init; }

    /// <summary>Gets how many leads the stage found suppressed.</summary>
    public long Suppressed { get; init; }

    /// <summary>Gets how many leads the stage quarantined.</summary>
    public long Quarantined { get; init; }

    /// <summary>Gets how many leads were interrupted in or before this stage (cancelled or failed runs only).</summary>
    public long Pending { get; init; }

    /// <summary>
    /// Gets how many leads ended the run at this stage stored without an outcome, for a later run to carry on: the new leads of a
    /// harvest-only run (at <c>dedup</c>), and the leads a backlog run's last chosen stage did not decide.
    /// </summary>
    public long Stored { get; init; }

    /// <summary>Gets how many candidates the stage rejected at intake (only <c>dedup</c>): refused by their source, or carrying
    /// characters the intake policy refuses (<see cref="Domain.TextPolicy"/>). They are never stored as leads.</summary>
    public long Rejected { get; init; }

    /// <summary>
    /// Gets how many steps the stage sent again after an earlier attempt's claim on the outbox key expired unconfirmed (only
    /// <c>nurture</c>): the recipient may have received them twice, unless the transport honours the idempotency key.
    /// </summary>
    public long PossibleDuplicateSends { get; init; }

    /// <summary>Gets how many items wait in the channel in front of the stage (progress snapshots only).</summary>
    public int QueueDepth { get; init; }

    /// <summary>Gets whether the stage failed (a source threw, or the stage hit a fatal error).</summary>
    public bool Failed { get; init; }

    /// <summary>Gets the wall-clock time from the start of the run until the stage finished (or until now, while running).</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets the time the stage spent working, summed over its workers (may exceed <see cref="Duration"/>).</summary>
    public TimeSpan BusyTime { get; init; }

    /// <summary>Gets how many leads ended the run at this stage.</summary>
    [JsonIgnore]
    public long Finished => Disqualified + ManualReview + Routed + Contacted + Suppressed + Quarantined + Stored;
}
