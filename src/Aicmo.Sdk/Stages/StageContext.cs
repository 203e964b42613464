using System.Collections.Frozen;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

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
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = FrozenDictionary<string, string>.Empty;
}
