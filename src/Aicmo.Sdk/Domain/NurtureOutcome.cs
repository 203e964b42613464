namespace Aicmo.Sdk.Domain;

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
