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

/// <summary>What a stage did to a lead.</summary>
public readonly struct StageResult
{
    private StageResult(LeadStatus? nextStatus, string reason)
    {
        NextStatus = nextStatus;
        Reason = reason;
    }

    /// <summary>Gets the state the lead moves to, or <see langword="null"/> when it stays where it is.</summary>
    public LeadStatus? NextStatus { get; }

    /// <summary>Gets why, in words a person can read (recorded in the audit trail).</summary>
    public string Reason { get; }

    /// <summary>The lead stays in its state and goes on to the next stage.</summary>
    /// <param name="reason">An optional note.</param>
    /// <returns>The result.</returns>
    public static StageResult Continue(string reason = "") => new(null, reason);

    /// <summary>The lead moves to <paramref name="status"/>; it leaves the pipeline when that state is an outcome.</summary>
    /// <param name="status">The new state; the move is validated by <see cref="LeadStateMachine"/>.</param>
    /// <param name="reason">Why.</param>
    /// <returns>The result.</returns>
    public static StageResult MoveTo(LeadStatus status, string reason) => new(status, reason ?? string.Empty);
}

/// <summary>What a stage knows about the run it works for. One instance per run and stage.</summary>
public sealed class StageContext
{
    /// <summary>Initializes a new instance of the <see cref="StageContext"/> class.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="stageName">The stage.</param>
    /// <param name="timeProvider">The clock every stage must use.</param>
    /// <param name="dryRun">Whether side effects (email) are recorded instead of performed.</param>
    public StageContext(Guid runId, string campaignId, string stageName, TimeProvider timeProvider, bool dryRun)
    {
        RunId = runId;
        CampaignId = campaignId;
        StageName = stageName;
        TimeProvider = timeProvider;
        DryRun = dryRun;
    }

    /// <summary>Gets the run id.</summary>
    public Guid RunId { get; }

    /// <summary>Gets the campaign id.</summary>
    public string CampaignId { get; }

    /// <summary>Gets the stage name.</summary>
    public string StageName { get; }

    /// <summary>Gets the clock. Stages take time only from here.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// Gets whether side effects (email) must not be performed: the pipeline runs with <see cref="Pipeline.AicmoPipelineOptions.DryRun"/>,
    /// or this run is a dry run (<see cref="Pipeline.PipelineRunRequest.DryRun"/>).
    /// </summary>
    public bool DryRun { get; }

    /// <summary>
    /// Gets whether the run must change nothing at all (<see cref="Pipeline.PipelineRunRequest.DryRun"/>): a stage computes its
    /// decision and writes it nowhere, neither to a store nor to an outside system. Implies <see cref="DryRun"/>.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool WritesNothing { get; init; }

    /// <summary>Gets the run's parameters (<see cref="Pipeline.PipelineRunRequest.Parameters"/>), empty when it has none. Keys are compared ordinally.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = Pipeline.RunRequestValidation.NoParameters;
}
