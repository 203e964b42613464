using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

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
