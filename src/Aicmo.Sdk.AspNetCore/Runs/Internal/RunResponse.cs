using Aicmo.Sdk.AspNetCore.Live.Internal;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.AspNetCore.Runs.Internal;

/// <summary>
/// A run on the wire: what it does, status, counts per stage, duplicates, the stored leads a backlog selected, success rate,
/// duration, whether its counts balance.
/// </summary>
internal sealed record RunResponse(
    Guid RunId,
    string CampaignId,
    string Kind,
    bool DryRun,
    string Status,
    bool Live,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    long DurationMs,
    long Harvested,
    long Duplicates,
    long? Selected,
    double? SuccessRate,
    bool? Balanced,
    IReadOnlyList<object> Stages,
    IReadOnlyList<string> Errors,
    RunLinks Links)
{
    public static RunResponse FromResult(PipelineRunResult r, bool live, RunLinks links) => new(
        r.RunId, r.CampaignId, RunValidation.NameOf(r.Kind), r.DryRun, r.Status.ToString(), live, r.StartedAt, r.CompletedAt, (long)r.Duration.TotalMilliseconds, r.Harvested, r.Duplicates,
        r.Kind == PipelineRunKind.Backlog ? r.Selected : null, r.SuccessRate, r.IsBalanced, [.. r.Stages.Select(RunEventMessages.Stage)], [.. r.Errors.Select(e => $"{e.Stage}: {e.ErrorType}")], links);

    public static RunResponse FromProgress(IPipelineRun run, string kind, bool dryRun, DateTimeOffset now, RunLinks links)
    {
        var p = run.Progress;
        return new(
            run.RunId, run.CampaignId, kind, dryRun, nameof(PipelineRunStatus.Running), true, now - p.Elapsed, null, (long)p.Elapsed.TotalMilliseconds, p.Harvested, p.Duplicates,
            null, null, null, [.. p.Stages.Select(RunEventMessages.Stage)], [], links);
    }

    /// <summary>
    /// A stored record. Its counts balance when the harvested candidates equal duplicates plus each stage's outcomes and pending;
    /// a record does not keep how many stored leads a backlog selected, so neither that count nor the balance of a backlog is known from it.
    /// </summary>
    public static RunResponse FromRecord(RunRecord r, RunLinks links)
    {
        var outcomes = r.Stages.Sum(s => s.Finished + s.Pending);
        var final = r.Stages.Sum(s => s.Routed + s.Contacted);
        var ended = r.Status != PipelineRunStatus.Running;
        var balanceKnown = ended && r.Kind != PipelineRunKind.Backlog;
        return new(
            r.RunId, r.CampaignId, RunValidation.NameOf(r.Kind), r.DryRun, r.Status.ToString(), false, r.StartedAt, r.CompletedAt,
            (long)((r.CompletedAt ?? r.UpdatedAt ?? r.StartedAt) - r.StartedAt).TotalMilliseconds, r.Harvested, r.Duplicates, null,
            balanceKnown ? (r.Harvested == 0 ? 0 : (double)final / r.Harvested) : null,
            balanceKnown ? r.Harvested == r.Duplicates + outcomes : null,
            [.. r.Stages.Select(RunEventMessages.Stage)], r.Errors, links);
    }
}
