namespace Aicmo.Sdk.Smtp.Inbox.Internal;

/// <summary>What <see cref="LeadPauser.PauseAsync"/> did.</summary>
internal enum PauseOutcome
{
    /// <summary>The next step was postponed.</summary>
    Paused,

    /// <summary>The next step was already due later than the pause.</summary>
    AlreadyLater,

    /// <summary>The lead has no step scheduled (its sequence is over or stopped, or it is not in nurture).</summary>
    NothingScheduled,

    /// <summary>The lead no longer exists.</summary>
    NotFound,

    /// <summary>Other writers kept changing the lead; the next pass does not retry (the message is marked read), so this is reported.</summary>
    Conflict,
}
