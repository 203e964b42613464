namespace Aicmo.Sdk.Scheduling;

/// <summary>What a schedule does with occurrences missed by more than its <see cref="JobSchedule.MisfireThreshold"/> (after downtime, for example).</summary>
public enum MisfirePolicy
{
    /// <summary>Runs none of them; each is recorded as <see cref="JobStatus.Misfired"/> and the schedule goes on with its next occurrence.</summary>
    Skip,

    /// <summary>Runs once, for the latest missed occurrence; the others are recorded as <see cref="JobStatus.Misfired"/>.</summary>
    RunOnce,

    /// <summary>
    /// Runs the latest <see cref="JobSchedule.MaxCatchUp"/> missed occurrences one after another, oldest first (never all at
    /// once); older ones are recorded as <see cref="JobStatus.Misfired"/>.
    /// </summary>
    CatchUp,
}
