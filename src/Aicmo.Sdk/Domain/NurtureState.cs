namespace Aicmo.Sdk.Domain;

/// <summary>Where a lead stands in its nurture sequence.</summary>
/// <param name="Sequence">The sequence.</param>
/// <param name="LastStep">The last step that was sent (or recorded in dry-run), 0 when none.</param>
/// <param name="LastSentAt">When the last step was sent.</param>
/// <param name="Outcome">What happened at the last attempt.</param>
/// <param name="Reason">Why, in words a person can read.</param>
public sealed record NurtureState(string Sequence, int LastStep, DateTimeOffset? LastSentAt, NurtureOutcome Outcome, string Reason)
{
    /// <summary>
    /// Gets when the next step is due, or <see langword="null"/> when the sequence is finished or stopped. A lead whose first
    /// step is not due yet ends the run <see cref="LeadStatus.Routed"/> with this set (outcome <see cref="NurtureOutcome.Scheduled"/>).
    /// </summary>
    public DateTimeOffset? NextStepDueAt { get; init; }

    /// <summary>Gets how many attempts at the next step have failed in a row (reset when a step is sent).</summary>
    public int FailedAttempts { get; init; }

    /// <summary>
    /// Gets whether this attempt sent a step again after an earlier attempt's claim expired unconfirmed, so the recipient may
    /// have received it twice (when the transport does not honour the idempotency key).
    /// </summary>
    public bool PossibleDuplicate { get; init; }

    /// <summary>
    /// Gets whether the step was not sent because another attempt holds a live claim on its outbox key (outcome
    /// <see cref="NurtureOutcome.Scheduled"/>): the holder records the result, so this attempt has nothing to write.
    /// </summary>
    public bool ClaimHeldElsewhere { get; init; }

    /// <summary>
    /// Gets when a pause set by <c>NurtureService.PauseAsync</c> ends (an out-of-office answer, say), or <see langword="null"/>
    /// when the sequence is not paused. <see cref="NextStepDueAt"/> is then no earlier than this, and <see cref="Reason"/> says
    /// why. A time in the past means the pause is over; the next step sent clears it.
    /// </summary>
    public DateTimeOffset? PausedUntil { get; init; }
}
