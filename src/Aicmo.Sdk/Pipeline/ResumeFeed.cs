using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline.Transport;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// Feeds the leads of the runs a run took over (and its own, when it is resumed) that are stored in an unfinished state into
/// the stage that comes next for each (<see cref="StageRegistry.ResumeIndexFor"/>), page by page: keyset pages in id order,
/// so a lead whose state another run changes meanwhile is neither skipped nor read twice; only a page and one batch per stage
/// are held at a time.
/// </summary>
internal sealed class ResumeFeed(ILeadRepository leads, LeadWriter writer, StageRegistry stages, IStageTransport transport, RunReport report, Guid runId, int batchSize)
{
    private const int PageSize = 1000;

    /// <summary>Feeds the unfinished leads of <paramref name="owned"/> into the stages.</summary>
    public async Task RunAsync(IReadOnlyCollection<Guid> owned, CancellationToken token)
    {
        await Task.Yield();
        var batches = new Batch<Lead>?[stages.Count];
        try
        {
            foreach (var owner in owned)
            {
                Guid? after = null;
                while (true)
                {
                    var page = await leads.ListByRunAsync(
                        new LeadRunQuery { RunId = owner, Statuses = StageRegistry.UnfinishedStates, After = after, Take = PageSize }, token).ConfigureAwait(false);

                    // The creation events the interrupted run may not have recorded, for the whole page in one append, before any
                    // of its leads can be written again.
                    var creations = page.Select(DedupExecutor.CreationEventToRestore).OfType<AuditEvent>().ToArray();
                    await writer.AppendEventsAsync(creations, token).ConfigureAwait(false);

                    foreach (var lead in page)
                    {
                        var stage = stages.ResumeIndexFor(lead);
                        if (stage < 0)
                        {
                            continue;
                        }

                        // This run answers for the lead from now on; the change is stored with the lead's next write.
                        lead.RunId = runId;
                        lead.StoredVersion = lead.Version;
                        var batch = batches[stage] ??= new Batch<Lead>(batchSize);
                        batch.Add(lead);
                        if (batch.Count == batchSize)
                        {
                            batches[stage] = null;
                            await FeedAsync(stage, batch, token).ConfigureAwait(false);
                        }
                    }

                    if (page.Count < PageSize)
                    {
                        break;
                    }

                    after = page[^1].Id;
                }
            }

            for (var stage = 0; stage < batches.Length; stage++)
            {
                if (batches[stage] is { } batch)
                {
                    batches[stage] = null;
                    await FeedAsync(stage, batch, token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Read but not fed: still stored as they were, so still resumable; counted as pending where they would have entered.
            // Leads not read yet stay with the run this one took over, which a later run takes over through this one.
            for (var stage = 0; stage < batches.Length; stage++)
            {
                if (batches[stage] is { Count: > 0 } batch)
                {
                    report.CountResumed(batch.Count);
                    report.CountPending(report.Stages[stage], batch.Count);
                }
            }
        }
    }

    private async ValueTask FeedAsync(int stage, Batch<Lead> batch, CancellationToken token)
    {
        var count = batch.Count;
        try
        {
            await transport.Stage(stage).PublishAsync(batch, token).ConfigureAwait(false);
            report.CountResumed(count);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            report.CountResumed(count);
            report.CountPending(report.Stages[stage], count);
            throw;
        }
    }
}
