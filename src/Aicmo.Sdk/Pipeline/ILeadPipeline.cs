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

/// <summary>A run in progress.</summary>
public interface IPipelineRun
{
    /// <summary>Gets the run id.</summary>
    Guid RunId { get; }

    /// <summary>Gets the campaign.</summary>
    string CampaignId { get; }

    /// <summary>
    /// Gets the run's events: started, periodic progress, quarantined leads, stage completed, run completed, in that order.
    /// Each enumeration first replays the milestones so far, then follows live; it ends after <see cref="RunCompleted"/>.
    /// A subscriber that falls far behind loses the oldest events, never the run's progress.
    /// </summary>
    IAsyncEnumerable<PipelineEvent> Events { get; }

    /// <summary>Gets a snapshot of the counts so far.</summary>
    PipelineProgress Progress { get; }

    /// <summary>Gets a task that completes with the result. It does not fault: a failed run has <see cref="PipelineRunStatus.Failed"/>.</summary>
    Task<PipelineRunResult> Completion { get; }

    /// <summary>Requests graceful cancellation.</summary>
    void Cancel();
}

/// <summary>What to run.</summary>
public sealed record PipelineRunRequest
{
    /// <summary>Gets the campaign; leads are unique by identity key within it.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Gets the most candidates to take from all sources together, or <see langword="null"/> for all they yield.</summary>
    public long? MaxLeads { get; init; }

    /// <summary>Gets the run id to use, or <see langword="null"/> for a new one.</summary>
    public Guid? RunId { get; init; }
}

/// <summary>A snapshot of a run's counts.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Harvested">Candidates yielded so far.</param>
/// <param name="Duplicates">Duplicates so far.</param>
/// <param name="Stages">Per-stage counts so far.</param>
public sealed record PipelineProgress(Guid RunId, TimeSpan Elapsed, long Harvested, long Duplicates, IReadOnlyList<StageStatistics> Stages);
