using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// The lead stages of a pipeline after dedup, in order, and which of them a lead stored in an unfinished state enters next:
/// the stage that consumes that state (<see cref="LeadStatus.Scored"/> is qualified next, whatever runs between).
/// </summary>
internal sealed class StageRegistry
{
    /// <summary>The states a lead can be stored in while a run has not finished it.</summary>
    public static readonly LeadStatus[] UnfinishedStates = [LeadStatus.New, LeadStatus.Enriched, LeadStatus.Scored, LeadStatus.Qualified, LeadStatus.Routed];

    private readonly Dictionary<LeadStatus, int> _resumeAt;
    private readonly Dictionary<LeadStatus, int> _producedAt;

    public StageRegistry(IReadOnlyList<StageExecutor> executors)
    {
        Executors = executors;
        Names = executors.Select(static e => e.Name).ToArray();
        _resumeAt = new Dictionary<LeadStatus, int>
        {
            [LeadStatus.New] = 0,
            [LeadStatus.Enriched] = IndexOf(StageNames.Enrich) + 1,
            [LeadStatus.Scored] = IndexOf(StageNames.Qualify),
            [LeadStatus.Qualified] = IndexOf(StageNames.Route),
            [LeadStatus.Routed] = IndexOf(StageNames.Nurture),
        };
        _producedAt = new Dictionary<LeadStatus, int>
        {
            [LeadStatus.Enriched] = IndexOf(StageNames.Enrich),
            [LeadStatus.Scored] = IndexOf(StageNames.Score),
            [LeadStatus.Qualified] = IndexOf(StageNames.Qualify),
            [LeadStatus.Routed] = IndexOf(StageNames.Route),
        };
    }

    /// <summary>Gets the executors, in pipeline order.</summary>
    public IReadOnlyList<StageExecutor> Executors { get; }

    /// <summary>Gets the stage names, in pipeline order.</summary>
    public IReadOnlyList<string> Names { get; }

    public int Count => Executors.Count;

    /// <summary>Returns the index of the stage named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => Array.IndexOf((string[])Names, name);

    /// <summary>
    /// Returns the index of the stage that leaves a lead in <paramref name="status"/> (enrich for enriched, score for scored, …),
    /// or -1 when no stage of this pipeline does (a new lead, or a stage this pipeline does not have). A lead delivered to a stage
    /// at or before that index has been through the stage already (a batch delivered again).
    /// </summary>
    public int ProducedAt(LeadStatus status) => _producedAt.TryGetValue(status, out var index) ? index : -1;

    /// <summary>
    /// Returns the index of the stage <paramref name="lead"/>, stored in its state, enters when its run is resumed, or -1 when the
    /// state is an outcome, or no stage of this pipeline consumes it. A routed lead that went through nurture already (a dry
    /// run) has reached its outcome.
    /// </summary>
    public int ResumeIndexFor(Lead lead) =>
        lead.Status == LeadStatus.Routed && lead.Nurture is not null ? -1
        : _resumeAt.TryGetValue(lead.Status, out var index) ? index
        : -1;
}
