using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

/// <summary>Runs lead pipelines. One instance serves any number of concurrent runs.</summary>
public interface ILeadPipeline
{
    /// <summary>Starts a run and returns at once.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="cancellationToken">Cancels the run (gracefully: see <see cref="AicmoPipelineOptions.CancellationDrainTimeout"/>).</param>
    /// <returns>The run handle.</returns>
    IPipelineRun Start(PipelineRunRequest request, CancellationToken cancellationToken = default);

    /// <summary>Runs to the end.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="cancellationToken">Cancels the run gracefully; the result then has status <see cref="PipelineRunStatus.Cancelled"/>.</param>
    /// <returns>The result.</returns>
    Task<PipelineRunResult> RunAsync(PipelineRunRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Continues a run that did not complete (cancelled, failed, or its process died), under the same run id. The leads it stored
    /// but did not finish go on from the state they reached; its sources are read again, and candidates it had already stored
    /// count as duplicates. Sends go through the outbox, so no step is sent twice.
    /// </summary>
    /// <remarks>Resume a run only when no process is still running it.</remarks>
    /// <param name="runId">The run to continue.</param>
    /// <param name="cancellationToken">Cancels the resumed run gracefully.</param>
    /// <returns>The result of the resumed run; <see cref="PipelineRunResult.Resumed"/> counts the leads it took over.</returns>
    /// <exception cref="InvalidOperationException">The run is unknown, or it completed.</exception>
    Task<PipelineRunResult> ResumeAsync(Guid runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts continuing a run that did not complete, like <see cref="ResumeAsync"/>, and returns its handle at once so its
    /// events and progress can be watched.
    /// </summary>
    /// <remarks>Resume a run only when no process is still running it.</remarks>
    /// <param name="runId">The run to continue.</param>
    /// <param name="cancellationToken">Cancels the resumed run gracefully.</param>
    /// <returns>The handle of the resumed run.</returns>
    /// <exception cref="InvalidOperationException">The run is unknown, or it completed.</exception>
    Task<IPipelineRun> StartResumeAsync(Guid runId, CancellationToken cancellationToken = default);
}
