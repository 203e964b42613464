namespace Aicmo.Sdk.Hosting;

/// <summary>
/// The live events of this host's scheduler: each job started, skipped, misfired, retried and completed, and the events of the
/// pipeline runs the jobs run (<see cref="JobRunEvent"/>), for a dashboard or an API to stream.
/// </summary>
/// <remarks>
/// A subscriber sees the events from the moment it subscribes; the job history (<see cref="IScheduleManager.HistoryAsync"/>)
/// is the durable record. A subscriber that falls more than <see cref="SchedulerOptions.EventBufferSize"/> events behind loses
/// the oldest, never the scheduler's progress. Only this host's jobs appear: on a shared store, each host streams its own.
/// </remarks>
public interface IJobEventStream
{
    /// <summary>Streams the scheduler's events until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="campaignId">Only this campaign's events, or <see langword="null"/> for every campaign's.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The events, in the order they happened.</returns>
    IAsyncEnumerable<JobEvent> SubscribeAsync(string? campaignId = null, CancellationToken cancellationToken = default);
}
