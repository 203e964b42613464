using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

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

    /// <summary>
    /// Adds an event of the run's driver (such as the scheduled job that fired it) to <see cref="Events"/>: every subscriber
    /// sees it, and it is replayed to later ones. One added before the run has published <see cref="RunStarted"/> follows it.
    /// </summary>
    /// <param name="annotation">The event; its <see cref="PipelineEvent.RunId"/> must be this run's.</param>
    /// <returns><see langword="false"/> when the run's stream has ended (after <see cref="RunCompleted"/>) or the run does not carry annotations.</returns>
    bool Annotate(RunAnnotation annotation) => false;
}
