using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.Hosting;

/// <summary>
/// Creates, changes, pauses, resumes and deletes schedules at run time, previews their occurrences and reads their history.
/// Changes go to the job store, so every host sharing it sees them at its next look.
/// </summary>
public interface IScheduleManager
{
    /// <summary>Adds a schedule; its first occurrence is the next one after now.</summary>
    /// <param name="schedule">The schedule; <see cref="JobSchedule.NextFireAt"/> and <see cref="JobSchedule.Version"/> are set by the manager.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored schedule.</returns>
    /// <exception cref="ArgumentException">The schedule is invalid (the message names the property).</exception>
    /// <exception cref="InvalidOperationException">A schedule with its id exists.</exception>
    Task<JobSchedule> CreateAsync(JobSchedule schedule, CancellationToken cancellationToken = default);

    /// <summary>Replaces a schedule's definition; its next occurrence is computed again from now.</summary>
    /// <param name="schedule">The new definition, with the id of the schedule to change.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored schedule, or <see langword="null"/> when there is none with that id.</returns>
    /// <exception cref="ArgumentException">The schedule is invalid.</exception>
    Task<JobSchedule?> UpdateAsync(JobSchedule schedule, CancellationToken cancellationToken = default);

    /// <summary>Pauses a schedule: it fires no more until resumed; occurrences while paused are not misfires.</summary>
    /// <param name="scheduleId">The id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored schedule, or <see langword="null"/> when there is none with that id.</returns>
    Task<JobSchedule?> PauseAsync(string scheduleId, CancellationToken cancellationToken = default);

    /// <summary>Resumes a paused schedule from its next occurrence after now.</summary>
    /// <param name="scheduleId">The id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The stored schedule, or <see langword="null"/> when there is none with that id.</returns>
    Task<JobSchedule?> ResumeAsync(string scheduleId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a schedule; its job results stay until their retention ends.</summary>
    /// <param name="scheduleId">The id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when it existed.</returns>
    Task<bool> DeleteAsync(string scheduleId, CancellationToken cancellationToken = default);

    /// <summary>Gets a schedule.</summary>
    /// <param name="scheduleId">The id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The schedule, or <see langword="null"/>.</returns>
    Task<JobSchedule?> GetAsync(string scheduleId, CancellationToken cancellationToken = default);

    /// <summary>Lists schedules, ordered by id.</summary>
    /// <param name="campaignId">The campaign, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The schedules.</returns>
    Task<IReadOnlyList<JobSchedule>> ListAsync(string? campaignId = null, CancellationToken cancellationToken = default);

    /// <summary>Returns the next occurrences of a schedule after <paramref name="after"/>, with the offsets of its time zone.</summary>
    /// <param name="schedule">The schedule (stored or not).</param>
    /// <param name="after">The instant after which to look.</param>
    /// <param name="count">How many.</param>
    /// <returns>The occurrences; fewer when the expression has no more.</returns>
    /// <exception cref="ArgumentException">The cron expression or the time zone is invalid.</exception>
    IReadOnlyList<DateTimeOffset> Preview(JobSchedule schedule, DateTimeOffset after, int count);

    /// <summary>Reads job results, newest occurrence first.</summary>
    /// <param name="query">What to read.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>One page of results.</returns>
    Task<IReadOnlyList<JobResult>> HistoryAsync(JobResultQuery query, CancellationToken cancellationToken = default);
}
