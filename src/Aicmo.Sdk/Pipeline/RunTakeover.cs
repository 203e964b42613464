using Aicmo.Sdk.Diagnostics;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// Decides which runs' unfinished leads a starting run continues: itself (a resumed run), the campaign's interrupted runs when
/// <see cref="AicmoPipelineOptions.ResumeInterruptedRuns"/> is on, and every run those had taken over in turn. The store
/// decides, atomically, which run takes each interrupted run over (<see cref="IRunRepository.TryTakeOverAsync"/>); a run that
/// is live in this process (<see cref="LiveRuns"/>) is never taken, however stale its record looks.
/// </summary>
internal sealed class RunTakeover(IRunRepository runs, LiveRuns live, AicmoPipelineOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>Returns the ids of the runs whose leads <paramref name="runId"/> answers for, itself included.</summary>
    public async Task<HashSet<Guid>> ClaimAsync(Guid runId, PipelineRunRequest request, bool resume, CancellationToken cancellationToken)
    {
        var owned = new HashSet<Guid> { runId };

        // Only a full run takes others over, and only full runs: a harvest-only or backlog run's leads are carried on by a run
        // of its kind, and a dry run changes nothing.
        var takesOver = options.ResumeInterruptedRuns && request.Kind == PipelineRunKind.Full && !request.DryRun;
        if (!resume && !takesOver)
        {
            return owned;
        }

        var campaignId = request.CampaignId;

        var records = await runs.ListAsync(campaignId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (takesOver)
        {
            var staleBefore = now - options.InterruptedRunTimeout;
            foreach (var run in records)
            {
                // The list only says which runs are worth trying; the store decides, so two hosts starting the campaign at once
                // never both take the same run.
                if (run.RunId != runId && run.Kind == PipelineRunKind.Full && !run.DryRun && run.IsInterrupted(staleBefore) && !live.IsLive(run.RunId) &&
                    await runs.TryTakeOverAsync(run.RunId, runId, staleBefore, now, cancellationToken).ConfigureAwait(false))
                {
                    Log.RunTakenOver(logger, run.RunId, run.Status, runId);
                    owned.Add(run.RunId);
                }
            }
        }

        // Runs taken over earlier by a run now being continued: their leads may not have been touched yet.
        for (var added = true; added;)
        {
            added = false;
            foreach (var run in records)
            {
                if (run.TakenOverBy is { } by && owned.Contains(by) && owned.Add(run.RunId))
                {
                    added = true;
                }
            }
        }

        return owned;
    }
}
