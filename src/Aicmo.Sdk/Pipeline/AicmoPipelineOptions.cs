using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Qualification;
using Aicmo.Sdk.Routing;
using Aicmo.Sdk.Scoring;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Pipeline;

/// <summary>Options of the lead pipeline. Validated when the pipeline is first resolved; an invalid value names itself.</summary>
public sealed class AicmoPipelineOptions
{
    /// <summary>Gets or sets the capacity of the bounded channel between every two stages.</summary>
    /// <value>The default value is 1024. Must be between 1 and 1,048,576.</value>
    public int ChannelCapacity { get; set; } = 1024;

    /// <summary>
    /// Gets or sets how many leads at most travel together from one stage to the next and are written to the stores together
    /// (one <see cref="Storage.ILeadRepository.TryAddManyAsync"/>, one <see cref="Storage.IAuditLog.AppendManyAsync"/>, one
    /// <see cref="Storage.ILeadRepository.UpdateManyAsync"/> per batch and stage).
    /// </summary>
    /// <value>The default value is 64. Must be between 1 and 4096. Capped at <see cref="ChannelCapacity"/>.</value>
    /// <remarks>
    /// Batches do not wait to fill: a source's candidates go on as soon as the source would wait for more, and each stage hands
    /// on what it was given. A stage that completes asynchronously (an enrichment vendor, a mail API) runs the leads of a batch
    /// concurrently, up to its parallelism, so batching never makes an I/O-bound stage work one lead at a time.
    /// </remarks>
    public int BatchSize { get; set; } = 64;

    /// <summary>Gets or sets how many workers each stage runs, unless <see cref="StageParallelism"/> says otherwise.</summary>
    /// <value>The default value is <see cref="Environment.ProcessorCount"/>. Must be between 1 and 1024.</value>
    public int DegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Gets the number of workers per stage name (see <see cref="Stages.StageNames"/>); overrides <see cref="DegreeOfParallelism"/>.
    /// It is also how many leads a stage that completes asynchronously works on at once, across its workers.
    /// </summary>
    /// <value>Empty by default. An I/O-bound stage (an enrichment vendor, a mail API) wants far more workers than cores.</value>
    public IDictionary<string, int> StageParallelism { get; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the time one attempt of one stage may take for one lead; <see cref="Timeout.InfiniteTimeSpan"/> disables it.</summary>
    /// <value>The default value is 30 seconds.</value>
    /// <remarks>
    /// The timeout cancels the token the stage receives; a stage that awaits past it (an HTTP call, a delay) is cancelled, and
    /// after the retries the lead is quarantined with a <see cref="StageTimeoutException"/>. Every attempt runs under Polly's
    /// timeout strategy, whose timer starts before the call, so a stage that runs synchronously and polls its token is
    /// interrupted too.
    /// </remarks>
    public TimeSpan StageTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the timeout per stage name; overrides <see cref="StageTimeout"/>.</summary>
    public IDictionary<string, TimeSpan> StageTimeouts { get; } = new Dictionary<string, TimeSpan>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the retry policy for transient faults.</summary>
    public RetryOptions Retry { get; } = new();

    /// <summary>Gets or sets how often a running pipeline publishes a progress event.</summary>
    /// <value>The default value is 250 milliseconds.</value>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Gets or sets how long a cancelled run lets leads already harvested finish before it stops them where they are.</summary>
    /// <value>The default value is 5 seconds. Leads stopped this way are counted as pending, to be resumed by a later run.</value>
    public TimeSpan CancellationDrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets whether a new run of a campaign takes over the unfinished leads of the campaign's interrupted runs:
    /// runs that were cancelled or failed, and runs left <see cref="PipelineRunStatus.Running"/> by a process that died
    /// (see <see cref="InterruptedRunTimeout"/>). The leads go on from the state they reached; sends go through the outbox,
    /// so no step is sent twice. Turn it off to resume runs only through <see cref="ILeadPipeline.ResumeAsync"/>.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ResumeInterruptedRuns { get; set; } = true;

    /// <summary>
    /// Gets or sets how long a run record left <see cref="PipelineRunStatus.Running"/> must go unchanged before its run is taken
    /// to be dead. A live run rewrites its record about once a second.
    /// </summary>
    /// <value>The default value is 1 minute. Must be at least 5 seconds.</value>
    public TimeSpan InterruptedRunTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets whether side effects (email) are only recorded, never performed.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DryRun { get; set; }

    /// <summary>Gets or sets how many quarantine events a run keeps for late subscribers of <see cref="IPipelineRun.Events"/>.</summary>
    /// <value>The default value is 1000.</value>
    public int MaxRetainedQuarantineEvents { get; set; } = 1000;

    /// <summary>Gets the options of the default enricher (<see cref="WaterfallEnricher"/>).</summary>
    public WaterfallEnricherOptions Enrichment { get; } = new();

    /// <summary>Gets the options of the default scorer (<see cref="RuleBasedScorer"/>).</summary>
    public RuleBasedScorerOptions Scoring { get; } = new();

    /// <summary>Gets the options of the default qualifier (<see cref="ThresholdQualifier"/>).</summary>
    public ThresholdQualifierOptions Qualification { get; } = new();

    /// <summary>Gets the options of the default router (<see cref="TierRouter"/>).</summary>
    public TierRouterOptions Routing { get; } = new();

    /// <summary>Gets the options of the default nurturer (<see cref="EmailNurturer"/>) and of <see cref="NurtureService"/>.</summary>
    public EmailNurturerOptions Nurture { get; } = new();

    /// <summary>Gets how erased addresses are kept: the secret that keys their hash in the suppression list.</summary>
    public Storage.ErasureOptions Erasure { get; } = new();

    /// <summary>Gets how long the audit trails of closed leads are kept in full (applied by <see cref="Storage.AuditRetention"/>).</summary>
    public Storage.AuditRetentionOptions AuditRetention { get; } = new();

    /// <summary>Returns the number of workers for a stage.</summary>
    /// <param name="stage">The stage name.</param>
    /// <returns>The configured parallelism.</returns>
    public int ParallelismFor(string stage) => StageParallelism.TryGetValue(stage, out var p) ? p : DegreeOfParallelism;

    /// <summary>Returns the timeout for a stage.</summary>
    /// <param name="stage">The stage name.</param>
    /// <returns>The configured timeout.</returns>
    public TimeSpan TimeoutFor(string stage) => StageTimeouts.TryGetValue(stage, out var t) ? t : StageTimeout;
}
