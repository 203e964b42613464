using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>A stored pipeline run: its status and the per-stage counts checkpointed so far.</summary>
public sealed record RunRecord
{
    /// <summary>Gets the run id.</summary>
    public required Guid RunId { get; init; }

    /// <summary>Gets the campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Gets the status.</summary>
    public required PipelineRunStatus Status { get; init; }

    /// <summary>Gets when the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets when the run ended, or <see langword="null"/> while it runs.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets how many candidates the sources yielded.</summary>
    public long Harvested { get; init; }

    /// <summary>Gets how many candidates were duplicates.</summary>
    public long Duplicates { get; init; }

    /// <summary>Gets the per-stage counts.</summary>
    public IReadOnlyList<StageStatistics> Stages { get; init; } = [];

    /// <summary>Gets the most candidates the run was asked to take, or <see langword="null"/> for all; a resumed run takes the same.</summary>
    public long? MaxLeads { get; init; }

    /// <summary>Gets what the run does; a resumed run does the same.</summary>
    /// <value>The default value is <see cref="PipelineRunKind.Full"/>.</value>
    public PipelineRunKind Kind { get; init; }

    /// <summary>Gets the stored leads and stages of a <see cref="PipelineRunKind.Backlog"/> run, or <see langword="null"/>.</summary>
    public BacklogSelection? Backlog { get; init; }

    /// <summary>Gets whether the run is a dry run (<see cref="Pipeline.PipelineRunRequest.DryRun"/>): it stored nothing but this record.</summary>
    public bool DryRun { get; init; }

    /// <summary>Gets the run's parameters (<see cref="Pipeline.PipelineRunRequest.Parameters"/>), or <see langword="null"/> for none.</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>Gets when the record was last written. A running run rewrites it about once a second, so a record left
    /// <see cref="PipelineRunStatus.Running"/> that has not changed for a while belongs to a process that died.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Gets the run that took over this run's unfinished leads, or <see langword="null"/>.</summary>
    public Guid? TakenOverBy { get; init; }

    /// <summary>Gets the errors that marked stages failed or the run failed.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>
    /// Returns whether the run was interrupted and can be taken over: not taken over yet, and cancelled, failed, or left
    /// <see cref="PipelineRunStatus.Running"/> by a process that stopped writing its record before <paramref name="staleBefore"/>.
    /// </summary>
    /// <param name="staleBefore">A running run whose record was last written before this time is taken to be dead.</param>
    /// <returns><see langword="true"/> when another run may take this one over.</returns>
    public bool IsInterrupted(DateTimeOffset staleBefore) =>
        TakenOverBy is null &&
        (Status is PipelineRunStatus.Cancelled or PipelineRunStatus.Failed ||
         (Status == PipelineRunStatus.Running && (UpdatedAt ?? StartedAt) < staleBefore));
}
