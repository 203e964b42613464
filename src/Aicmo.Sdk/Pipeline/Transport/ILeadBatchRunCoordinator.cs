namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// Implemented by an <see cref="ILeadBatchTransport"/> whose runs are worked on by several processes (the RabbitMQ transport).
/// The process that starts a run (its origin) harvests, dedups, owns the result, receives a <see cref="LeadBatchReport"/> of every
/// batch another process worked on, and announces the run's cancellation and end to every process. A process that receives a
/// batch of a run it has no queue open for asks the pipeline to join it (<see cref="ILeadBatchRunJoiner"/>): the pipeline opens
/// the run's stages there and works on its batches until the origin announces the end, or the run has been idle there.
/// </summary>
public interface ILeadBatchRunCoordinator
{
    /// <summary>
    /// Called once by the pipeline when it is built: the transport asks <paramref name="joiner"/> to join the runs whose batches
    /// it receives, and checks its own settings against the pipeline's stages.
    /// </summary>
    /// <param name="joiner">The pipeline's side.</param>
    /// <exception cref="InvalidOperationException">The transport's settings name a stage the pipeline does not have.</exception>
    void Attach(ILeadBatchRunJoiner joiner);

    /// <summary>
    /// At the origin: starts receiving the reports of the run's batches that other processes worked on; they reach
    /// <paramref name="onReport"/> one at a time, in no particular order, possibly more than once. Disposing the result stops it.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="onReport">Handles one report.</param>
    /// <param name="cancellationToken">Cancels starting.</param>
    ValueTask<IAsyncDisposable> ReceiveReportsAsync(Guid runId, Func<LeadBatchReport, ValueTask> onReport, CancellationToken cancellationToken);

    /// <summary>At the origin: tells every process that the run was cancelled, or has ended; they stop working on it.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="startedAt">When this start of the run began (its record's <c>StartedAt</c>): a run resumed later under the
    /// same id starts again, and is joined again.</param>
    /// <param name="cancelled">Whether the run was cancelled (else it ended).</param>
    /// <param name="cancellationToken">Cancels the announcement.</param>
    ValueTask AnnounceAsync(Guid runId, DateTimeOffset startedAt, bool cancelled, CancellationToken cancellationToken);

    /// <summary>
    /// In a process that joined a run: a token cancelled once the origin announced the run's end or cancellation, the run has
    /// been idle in this process for the transport's idle timeout, or the transport stops. Already cancelled when this start of
    /// the run was announced ended before.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="startedAt">When this start of the run began, as its record in the store says.</param>
    CancellationToken ParticipationEnded(Guid runId, DateTimeOffset startedAt);
}
