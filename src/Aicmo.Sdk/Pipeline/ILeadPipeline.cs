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

/// <summary>What to run.</summary>
public sealed record PipelineRunRequest
{
    /// <summary>Gets the campaign; leads are unique by identity key within it.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Gets the most candidates to take from all sources together, or <see langword="null"/> for all they yield.</summary>
    public long? MaxLeads { get; init; }

    /// <summary>Gets the run id to use, or <see langword="null"/> for a new one.</summary>
    public Guid? RunId { get; init; }

    /// <summary>Gets what the run does: the full pipeline, a harvest that stops before enrichment, or a backlog of stored leads.</summary>
    /// <value>The default value is <see cref="PipelineRunKind.Full"/>.</value>
    public PipelineRunKind Kind { get; init; }

    /// <summary>
    /// Gets the stored leads and the stages of a <see cref="PipelineRunKind.Backlog"/> run; required for that kind, and not allowed
    /// for the others. <see cref="MaxLeads"/> then caps how many stored leads the run takes.
    /// </summary>
    public BacklogSelection? Backlog { get; init; }

    /// <summary>
    /// Gets whether the run is a dry run: it computes and reports every decision a real run would make, and changes nothing.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A dry run reads its sources (or, for a backlog, the stored leads), finds duplicates against the leads already stored,
    /// runs every stage, and reports the counts, per-stage statistics and events a real run would (a lead that would be mailed is
    /// counted <see cref="PipelineRunResult.Routed"/> with the step it would send on its nurture state). It sends no email and
    /// writes no outbox entry; it stores no lead, no audit event, no rejected candidate and no campaign, and it takes over no
    /// interrupted run. Only its own run record is stored (with <see cref="Storage.RunRecord.DryRun"/> set), so it can be looked
    /// up and listed like any run.
    /// </para>
    /// <para>
    /// Enrichment providers and custom stages are called as in a real run (a provider's answers may be cached); a stage reads
    /// <see cref="Stages.StageContext.WritesNothing"/> to know it must not write either. A dry run keeps the identity keys of the
    /// new leads it finds in memory to count duplicates within the run, and looks each candidate up in the store, so it is slower
    /// than a real run on a durable store; cap a large source with <see cref="MaxLeads"/>.
    /// </para>
    /// <para>This differs from <see cref="AicmoPipelineOptions.DryRun"/>, which applies to every run and nurture pass and does store
    /// the leads and an outbox entry per step that was not sent.</para>
    /// </remarks>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DryRun { get; init; }

    /// <summary>
    /// Gets values for the host's own stages and sources, readable through <see cref="Stages.StageContext.Parameters"/> and
    /// <see cref="Stages.LeadSourceContext.Parameters"/>, or <see langword="null"/> for none. Stored with the run record, so a
    /// resumed run sees the same values.
    /// </summary>
    /// <remarks>
    /// At most <see cref="MaxParameterCount"/> entries. A key is 1 to <see cref="MaxParameterKeyLength"/> characters: ASCII letters,
    /// digits, <c>.</c>, <c>_</c> and <c>-</c>, starting with a letter; keys are compared ordinally (case matters). A value is at
    /// most <see cref="MaxParameterValueLength"/> characters, none of them one the intake policy refuses
    /// (<see cref="Domain.TextPolicy"/>: control characters other than tab, CR and LF, and line and paragraph separators). Anything else makes <see cref="ILeadPipeline.Start"/> throw an
    /// <see cref="ArgumentException"/> naming the parameter.
    /// </remarks>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>The most entries <see cref="Parameters"/> may hold.</summary>
    public const int MaxParameterCount = 32;

    /// <summary>The longest key <see cref="Parameters"/> may hold.</summary>
    public const int MaxParameterKeyLength = 64;

    /// <summary>The longest value <see cref="Parameters"/> may hold.</summary>
    public const int MaxParameterValueLength = 1024;

    /// <summary>Checks the request on its own (the pipeline checks stage names against its stages when it starts the run).</summary>
    /// <exception cref="ArgumentException">A field is not valid; <see cref="ArgumentException.ParamName"/> names it
    /// (<c>CampaignId</c>, <c>MaxLeads</c>, <c>Backlog</c>, <c>Backlog.Stages</c>, <c>Backlog.States</c>, <c>Parameters</c>).</exception>
    public void Validate() => RunRequestValidation.Validate(this);
}

/// <summary>A snapshot of a run's counts.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Harvested">Candidates yielded so far.</param>
/// <param name="Duplicates">Duplicates so far.</param>
/// <param name="Stages">Per-stage counts so far.</param>
public sealed record PipelineProgress(Guid RunId, TimeSpan Elapsed, long Harvested, long Duplicates, IReadOnlyList<StageStatistics> Stages);
