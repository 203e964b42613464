using System.Text.Json.Serialization;

namespace Aicmo.Sdk.Pipeline;

/// <summary>How a run ended (or that it is still running).</summary>
public enum PipelineRunStatus
{
    /// <summary>The run is in progress.</summary>
    Running,

    /// <summary>Every lead reached an outcome and nothing failed.</summary>
    Completed,

    /// <summary>The run finished, but a source failed or leads were quarantined.</summary>
    CompletedWithErrors,

    /// <summary>The run was cancelled; leads not finished are counted as pending.</summary>
    Cancelled,

    /// <summary>A fatal error stopped the run.</summary>
    Failed,
}

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

/// <summary>An error recorded against a run: a failed source, or the fatal error that stopped it.</summary>
/// <param name="Stage">The stage (for a source, <c>harvest</c>).</param>
/// <param name="Source">The source name, when a source failed.</param>
/// <param name="ErrorType">The exception type.</param>
/// <param name="Message">The exception message.</param>
public sealed record PipelineError(string Stage, string? Source, string ErrorType, string Message);

/// <summary>The result of a run: status, funnel and timing.</summary>
/// <remarks>
/// Conservation: <see cref="Harvested"/> + <see cref="Resumed"/> + <see cref="Selected"/> = <see cref="Rejected"/> + <see cref="Duplicates"/>
/// + the outcomes + <see cref="Stored"/> + <see cref="Pending"/> (<see cref="IsBalanced"/>). Every count is kept independently, so the check means something.
/// </remarks>
public sealed record PipelineRunResult
{
    /// <summary>Gets the run id.</summary>
    public required Guid RunId { get; init; }

    /// <summary>Gets the campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Gets how the run ended.</summary>
    public required PipelineRunStatus Status { get; init; }

    /// <summary>Gets what the run did (<see cref="PipelineRunRequest.Kind"/>).</summary>
    public PipelineRunKind Kind { get; init; }

    /// <summary>Gets whether the run was a dry run (<see cref="PipelineRunRequest.DryRun"/>): every count says what a real run would have done, and nothing was stored or sent.</summary>
    public bool DryRun { get; init; }

    /// <summary>Gets when the run started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets when the run ended.</summary>
    public DateTimeOffset CompletedAt { get; init; }

    /// <summary>Gets the wall-clock duration of the run.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets how many candidates the sources yielded.</summary>
    public long Harvested { get; init; }

    /// <summary>Gets how many candidates were duplicates of a lead already in the campaign.</summary>
    public long Duplicates { get; init; }

    /// <summary>Gets how many candidates were rejected at intake, with reasons readable through <see cref="Storage.IRejectionLog.ListAsync"/>.</summary>
    public long Rejected { get; init; }

    /// <summary>Gets how many steps were sent again after an expired, unconfirmed claim (possible duplicates; see <see cref="StageStatistics.PossibleDuplicateSends"/>).</summary>
    public long PossibleDuplicateSends { get; init; }

    /// <summary>Gets how many leads ended disqualified.</summary>
    public long Disqualified { get; init; }

    /// <summary>Gets how many leads ended in manual review.</summary>
    public long ManualReview { get; init; }

    /// <summary>Gets how many leads ended routed without a send (dry run).</summary>
    public long Routed { get; init; }

    /// <summary>Gets how many leads were contacted.</summary>
    public long Contacted { get; init; }

    /// <summary>Gets how many leads were found suppressed at send time.</summary>
    public long Suppressed { get; init; }

    /// <summary>Gets how many leads were quarantined.</summary>
    public long Quarantined { get; init; }

    /// <summary>Gets how many leads did not reach an outcome because the run was cancelled or failed.</summary>
    public long Pending { get; init; }

    /// <summary>Gets how many leads a resumed run took over from the interrupted run (0 for a run that was not resumed).</summary>
    public long Resumed { get; init; }

    /// <summary>Gets how many stored leads a backlog run took in (<see cref="PipelineRunKind.Backlog"/>; 0 for the other kinds).</summary>
    public long Selected { get; init; }

    /// <summary>
    /// Gets how many leads ended the run stored without an outcome, for a later run to carry on: the new leads of a harvest-only
    /// run (in <see cref="Domain.LeadStatus.New"/>), and the leads a backlog run's last chosen stage left in a state that is not an
    /// outcome (say, qualified, when the backlog stops after <c>qualify</c>).
    /// </summary>
    public long Stored { get; init; }

    /// <summary>Gets the per-stage statistics, in pipeline order, starting with <c>harvest</c> and <c>dedup</c>.</summary>
    public IReadOnlyList<StageStatistics> Stages { get; init; } = [];

    /// <summary>Gets the errors: failed sources and the fatal error, if any.</summary>
    public IReadOnlyList<PipelineError> Errors { get; init; } = [];

    /// <summary>Gets the leads that made it through every stage to an owner and a sequence (routed or contacted).</summary>
    public long Final => Routed + Contacted;

    /// <summary>Gets <see cref="Final"/> ÷ <see cref="Harvested"/>, or 0 for an empty run.</summary>
    public double SuccessRate => Harvested == 0 ? 0 : (double)Final / Harvested;

    /// <summary>Gets harvested candidates processed per second of run time.</summary>
    public double Throughput => Duration <= TimeSpan.Zero ? 0 : Harvested / Duration.TotalSeconds;

    /// <summary>Gets whether every harvested candidate is accounted for exactly once.</summary>
    public bool IsBalanced =>
        Harvested + Resumed + Selected == Rejected + Duplicates + Disqualified + ManualReview + Routed + Contacted + Suppressed + Quarantined + Stored + Pending;

    /// <summary>Returns the statistics of a stage.</summary>
    /// <param name="name">The stage name.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="KeyNotFoundException">No stage has that name.</exception>
    public StageStatistics Stage(string name) =>
        Stages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"The run has no stage named '{name}'.");
}
