namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// The pipeline's side of runs shared between processes (see <see cref="ILeadBatchRunCoordinator"/>): joins a run another
/// process started, so that this process works on the run's batches with the same executors, engines and stores.
/// </summary>
public interface ILeadBatchRunJoiner
{
    /// <summary>Gets the pipeline's stages after dedup, in order.</summary>
    IReadOnlyList<string> StageNames { get; }

    /// <summary>
    /// Joins run <paramref name="runId"/> in this process unless it has joined it already: reads the run's record from the
    /// shared store and, when the run is still running, opens its stages here (their queues, with the stage loops behind them).
    /// A process never harvests, dedups or builds the result of a run it joined.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels joining.</param>
    /// <returns>Whether the run's stages are open in this process now, or why not.</returns>
    ValueTask<RunJoinOutcome> JoinAsync(Guid runId, CancellationToken cancellationToken);
}
