namespace Aicmo.Sdk.Hosting;

/// <summary>
/// A kind of job the scheduler can fire. The built-in kinds are the full pipeline and the nurture pass; register more with
/// <c>AddScheduledJob</c>.
/// </summary>
public interface IScheduledJob
{
    /// <summary>Gets the kind's name, which schedules refer to (see <see cref="Aicmo.Sdk.Scheduling.JobKinds"/>).</summary>
    string Kind { get; }

    /// <summary>Runs the job once. The scheduler holds the (campaign, kind) lease meanwhile and renews it.</summary>
    /// <param name="context">The fire: its schedule, occurrence, attempt and lease.</param>
    /// <param name="cancellationToken">Cancelled when the host stops or the lease is lost; stop gracefully, leaving work to resume.</param>
    /// <returns>What the job did. Throwing counts as <see cref="Aicmo.Sdk.Scheduling.JobStatus.Failed"/>.</returns>
    Task<JobOutcome> ExecuteAsync(ScheduledJobContext context, CancellationToken cancellationToken);
}
