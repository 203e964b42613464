namespace Aicmo.Sdk.Scheduling;

/// <summary>How one fire of a scheduled job ended.</summary>
public enum JobStatus
{
    /// <summary>The job ran to the end and nothing failed.</summary>
    Completed,

    /// <summary>The job ran to the end, but part of it failed (a source, quarantined leads).</summary>
    CompletedWithErrors,

    /// <summary>The job failed; a retry may follow (see <see cref="JobRetryPolicy"/>).</summary>
    Failed,

    /// <summary>The job did not run because a run of the same kind was live for the campaign (the overlap policy).</summary>
    Skipped,

    /// <summary>The job was cancelled (the host stopped); its work is checkpointed and resumed by a later fire.</summary>
    Cancelled,

    /// <summary>The occurrence was missed (the host was down or busy past the misfire threshold) and the misfire policy did not run it.</summary>
    Misfired,
}
