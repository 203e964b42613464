namespace Aicmo.Sdk.Domain;

/// <summary>What a run does with the campaign's leads (see <see cref="Pipeline.PipelineRunRequest.Kind"/>).</summary>
public enum PipelineRunKind
{
    /// <summary>Reads the sources and takes every new lead through every stage, harvest through nurture.</summary>
    Full,

    /// <summary>
    /// Reads the sources and stores the new leads, then stops before enrichment: the leads stay in
    /// <see cref="LeadStatus.New"/>, counted in <see cref="Pipeline.PipelineRunResult.Stored"/>, for a later
    /// <see cref="Backlog"/> run to carry on.
    /// </summary>
    HarvestOnly,

    /// <summary>
    /// Reads no source: takes the campaign's stored leads in the states <see cref="Pipeline.PipelineRunRequest.Backlog"/> names through the
    /// stages it names, for example to score and qualify again after the rules changed, or to route the leads that waited in
    /// manual review for an owner with capacity.
    /// </summary>
    Backlog,
}
