namespace Aicmo.Sdk.Domain;

/// <summary>Where an enriched field's value came from.</summary>
/// <param name="Provider">The provider that supplied the value.</param>
/// <param name="At">When the value was obtained.</param>
/// <param name="Confidence">The provider's confidence in [0, 1].</param>
public sealed record FieldProvenance(string Provider, DateTimeOffset At, double Confidence);

/// <summary>One signal's part in a score.</summary>
/// <param name="Signal">The signal's name, for example <c>title.seniority</c>.</param>
/// <param name="Weight">The weight of the signal.</param>
/// <param name="RawValue">The signal's value in [0, 1] before weighting.</param>
/// <param name="Contribution">What the signal adds to the score.</param>
/// <param name="Reason">Why the signal has this value, in words a person can read.</param>
public sealed record ScoreComponent(string Signal, double Weight, double RawValue, double Contribution, string Reason)
{
    /// <summary>Gets the named score the component belongs to (for example <c>fit</c> or <c>intent</c>); empty when the scorer has one score.</summary>
    public string ScoreName { get; init; } = string.Empty;
}

/// <summary>A lead's score: a value in [0, 1], a grade and the components it is the sum of.</summary>
/// <param name="Value">The score in [0, 1].</param>
/// <param name="Grade">A letter grade (A best).</param>
/// <param name="Components">The components; their contributions add up to <see cref="Value"/> before clamping.</param>
public sealed record LeadScore(double Value, string Grade, IReadOnlyList<ScoreComponent> Components)
{
    private static readonly IReadOnlyDictionary<string, double> NoScores = new Dictionary<string, double>(0);

    /// <summary>
    /// Gets the named scores in [0, 1] (for example <c>fit</c> and <c>intent</c>). Each is the sum of its components'
    /// contributions divided by its share of the combined score, then clamped. Empty when the scorer has one score.
    /// </summary>
    public IReadOnlyDictionary<string, double> Scores { get; init; } = NoScores;
}

/// <summary>The verdict of qualification.</summary>
public enum QualificationVerdict
{
    /// <summary>The lead goes on to routing.</summary>
    Qualified,

    /// <summary>The lead is rejected.</summary>
    Disqualified,

    /// <summary>A person has to decide.</summary>
    ManualReview,
}

/// <summary>A qualification decision with every reason that fired.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Reasons">The reasons, in the order the rules fired; never empty.</param>
public sealed record QualificationDecision(QualificationVerdict Verdict, IReadOnlyList<string> Reasons);

/// <summary>Where a qualified lead goes: team, owner and sequence, and why.</summary>
/// <param name="Team">The team (or tier) the lead is assigned to.</param>
/// <param name="Owner">The owner inside the team, or <see langword="null"/> when none could be assigned.</param>
/// <param name="Sequence">The nurture sequence the lead enters.</param>
/// <param name="Rule">The rule that matched.</param>
/// <param name="Reason">Why the rule matched.</param>
public sealed record RoutingDecision(string Team, string? Owner, string Sequence, string Rule, string Reason)
{
    /// <summary>Gets whether an owner was assigned. A decision without an owner sends the lead to manual review.</summary>
    public bool IsAssigned => Owner is not null;
}

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

/// <summary>The result of a nurture attempt.</summary>
public enum NurtureOutcome
{
    /// <summary>The email was accepted by the transport.</summary>
    Sent,

    /// <summary>The step had already been sent by an earlier attempt; nothing was sent again.</summary>
    AlreadySent,

    /// <summary>Dry-run mode: the email was rendered and recorded, not sent.</summary>
    DryRun,

    /// <summary>The recipient is suppressed (unsubscribed, bounced, complained or blocked by hand).</summary>
    Suppressed,

    /// <summary>The email could not be built (no valid address, hostile header value).</summary>
    Rejected,

    /// <summary>
    /// The next step is not due yet (its delay, the recipient's sending window or a throttle postponed it);
    /// <see cref="NurtureState.NextStepDueAt"/> says when. Nothing was sent and nothing failed.
    /// </summary>
    Scheduled,

    /// <summary>The sequence is over for this lead: every step was sent, or a stop condition (reply, conversion) ended it.</summary>
    Stopped,

    /// <summary>
    /// The transport refused the step for good, or it kept failing; <see cref="NurtureState.NextStepDueAt"/> says when it is
    /// tried again and <see cref="NurtureState.FailedAttempts"/> how often it failed.
    /// </summary>
    Failed,

    /// <summary>The transport rejected the recipient: the lead is marked bounced and its sequence stops.</summary>
    Bounced,
}

/// <summary>The consent state of a lead.</summary>
public enum ConsentState
{
    /// <summary>Nothing is known.</summary>
    Unknown,

    /// <summary>The person opted in.</summary>
    OptedIn,

    /// <summary>The person is on the suppression list.</summary>
    Suppressed,
}

/// <summary>Why a lead was quarantined.</summary>
/// <param name="Stage">The stage that failed.</param>
/// <param name="ErrorType">The full name of the exception type.</param>
/// <param name="Message">The exception message.</param>
/// <param name="Attempts">How many attempts were made.</param>
public sealed record LeadFault(string Stage, string ErrorType, string Message, int Attempts);
