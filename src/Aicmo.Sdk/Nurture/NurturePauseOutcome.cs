namespace Aicmo.Sdk.Nurture;

/// <summary>What <see cref="NurtureService.PauseAsync"/> did.</summary>
public enum NurturePauseOutcome
{
    /// <summary>The lead's next step was postponed to the end of the pause.</summary>
    Paused,

    /// <summary>The next step was already due at or after the end of the pause; nothing changed.</summary>
    AlreadyLater,

    /// <summary>The lead has no step scheduled (its sequence is over or stopped, or it is not in nurture); nothing changed.</summary>
    NothingScheduled,

    /// <summary>The lead does not exist.</summary>
    NotFound,

    /// <summary>Other writers kept changing the lead through every attempt; nothing changed, and the caller may try again.</summary>
    Conflict,
}
