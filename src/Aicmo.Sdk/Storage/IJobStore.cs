using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.Storage;

/// <summary>
/// Stores what the scheduler shares between hosts: schedules, job leases with fencing tokens, and job results. Every time
/// decision (what is due, when a lease expires) uses the store's clock, <see cref="GetUtcNowAsync"/>, so hosts whose clocks
/// disagree still agree on it.
/// </summary>
/// <remarks>Implementations must be thread-safe, and every method must be safe to call from several hosts at once.</remarks>
public interface IJobStore
{
    /// <summary>Gets the store's current time: the database server's clock where hosts share one, the process clock otherwise.</summary>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The current time.</returns>
    ValueTask<DateTimeOffset> GetUtcNowAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a schedule unless one with its id exists. Its <see cref="JobSchedule.Version"/> is stored as is.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when added; <see langword="false"/> when the id is taken.</returns>
    ValueTask<bool> TryAddScheduleAsync(JobSchedule schedule, CancellationToken cancellationToken = default);

    /// <summary>Replaces a schedule if its stored version is still <paramref name="expectedVersion"/> (compare-and-set).</summary>
    /// <param name="schedule">The new state of the schedule, with its new version.</param>
    /// <param name="expectedVersion">The version the caller last read.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when replaced; <see langword="false"/> when it is missing or another writer got there first.</returns>
    ValueTask<bool> UpdateScheduleAsync(JobSchedule schedule, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Gets a schedule.</summary>
    /// <param name="scheduleId">The id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The schedule, or <see langword="null"/>.</returns>
    ValueTask<JobSchedule?> GetScheduleAsync(string scheduleId, CancellationToken cancellationToken = default);

    /// <summary>Lists schedules, ordered by id.</summary>
    /// <param name="campaignId">The campaign, or <see langword="null"/> for every campaign.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The schedules.</returns>
    ValueTask<IReadOnlyList<JobSchedule>> ListSchedulesAsync(string? campaignId = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a schedule; its results stay.</summary>
    /// <param name="scheduleId">The id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when it existed.</returns>
    ValueTask<bool> DeleteScheduleAsync(string scheduleId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the lease of (<paramref name="campaignId"/>, <paramref name="jobKind"/>) when nobody holds it or its holder's lease
    /// has expired, with a fencing token larger than any given before for that pair.
    /// </summary>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="jobKind">The kind of job.</param>
    /// <param name="owner">The host taking it.</param>
    /// <param name="duration">How long it lasts unless renewed.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The lease, or <see langword="null"/> when another holder's lease is live.</returns>
    ValueTask<JobLease?> TryAcquireLeaseAsync(string campaignId, string jobKind, string owner, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease, and records the run it is running, if its fencing token is still the current one.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="duration">How long from now it lasts.</param>
    /// <param name="runId">The pipeline run the holder is running, or <see langword="null"/> to keep the one recorded.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The renewed lease, or <see langword="null"/> when another holder has taken it (the job must stop).</returns>
    ValueTask<JobLease?> RenewLeaseAsync(JobLease lease, TimeSpan duration, Guid? runId = null, CancellationToken cancellationToken = default);

    /// <summary>Gives a lease up (the job ended), if its fencing token is still the current one; the next holder finds no interrupted run.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when released; <see langword="false"/> when another holder had taken it.</returns>
    ValueTask<bool> ReleaseLeaseAsync(JobLease lease, CancellationToken cancellationToken = default);

    /// <summary>Gets the current lease of a (campaign, job kind), live or expired.</summary>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="jobKind">The kind of job.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The lease, or <see langword="null"/> when none was ever taken.</returns>
    ValueTask<JobLease?> GetLeaseAsync(string campaignId, string jobKind, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends a job result. With a <paramref name="fence"/>, only if the fence's token is still the current one for its
    /// (campaign, job kind): a holder that lost its lease cannot record its result.
    /// </summary>
    /// <param name="result">The result.</param>
    /// <param name="fence">The lease the job ran under, or <see langword="null"/> for a result written without one (skipped, misfired).</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when appended; <see langword="false"/> when the fence is stale.</returns>
    ValueTask<bool> AppendResultAsync(JobResult result, JobLease? fence = null, CancellationToken cancellationToken = default);

    /// <summary>Reads a campaign's job results, newest occurrence first (then newest attempt).</summary>
    /// <param name="query">What to read.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>One page of results.</returns>
    ValueTask<IReadOnlyList<JobResult>> QueryResultsAsync(JobResultQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes the results that completed before <paramref name="cutoff"/> (the retention setting).</summary>
    /// <param name="cutoff">The oldest completion time kept.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>How many were deleted.</returns>
    ValueTask<int> DeleteResultsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);

    /// <summary>Keeps a retry planned after a failed attempt, so that it fires even when the host that planned it restarts or dies.</summary>
    /// <remarks>The default implementation throws <see cref="NotSupportedException"/>: a store that keeps schedules should implement it.</remarks>
    /// <param name="retry">The retry.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when the retry is stored.</returns>
    ValueTask AddRetryAsync(PlannedRetry retry, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not keep planned retries.");

    /// <summary>Lists the planned retries, the earliest due first.</summary>
    /// <remarks>The default implementation returns none.</remarks>
    /// <param name="scheduleId">Only this schedule's, or <see langword="null"/> for every schedule's.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The retries.</returns>
    ValueTask<IReadOnlyList<PlannedRetry>> ListRetriesAsync(string? scheduleId = null, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<PlannedRetry>>([]);

    /// <summary>Takes a planned retry out of the store to fire it; of several hosts trying at once, exactly one gets <see langword="true"/>.</summary>
    /// <remarks>The default implementation returns <see langword="false"/>.</remarks>
    /// <param name="retryId">The retry.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when this caller took it; <see langword="false"/> when it was gone already.</returns>
    ValueTask<bool> TryTakeRetryAsync(Guid retryId, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
}
