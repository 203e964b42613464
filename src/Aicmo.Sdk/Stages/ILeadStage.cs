using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

/// <summary>
/// One step of the pipeline for one lead. The built-in stages (enrich, score, qualify, route, nurture) are adapters over
/// their typed interfaces; a host adds its own steps by implementing this interface.
/// </summary>
/// <remarks>
/// A stage instance is shared by every worker and every concurrent run, so it must be thread-safe.
/// Throw to signal a fault: transient faults (see <see cref="TransientLeadException"/>) are retried, anything else
/// quarantines the lead. Never swallow the <see cref="CancellationToken"/>: the runner uses it for timeouts and cancellation.
/// </remarks>
public interface ILeadStage
{
    /// <summary>Gets the stage's name, unique within a pipeline (used in counts, audit events, metrics and logs).</summary>
    string Name { get; }

    /// <summary>Processes one lead.</summary>
    /// <param name="lead">The lead; the stage may change its fields.</param>
    /// <param name="context">The run the lead belongs to.</param>
    /// <param name="cancellationToken">Signals a timeout or the end of the run.</param>
    /// <returns>What happened: whether the lead moves to a new state, and why.</returns>
    ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken);
}
