using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// The source of a backlog run's batches (<see cref="PipelineRunKind.Backlog"/>): the campaign's stored leads in the chosen states,
/// read page by page in creation order (keyset pages, <see cref="LeadQuery.After"/>), each taken back to the state the first
/// chosen stage takes (with an audit event) and handed to the run in batches. A resumed backlog run first takes the leads it
/// had left part-way (<see cref="ILeadRepository.ListByRunAsync"/>), each at the stage that comes next for it.
/// </summary>
/// <remarks>
/// A lead already answering for this run is skipped: the run took it earlier, so a lead whose state changes while the pages are
/// read (into a state read later) is taken once. The move back is stored with the lead's next write (a compare-and-set on the
/// version read here), so a lead another writer changes meanwhile is not overwritten, and a run that dies before that write
/// leaves the lead as it was, for the next backlog run to take.
/// </remarks>
internal sealed class BacklogFeed(PipelineRuntime runtime, BacklogPlan plan, Guid runId, string campaignId, long? maxLeads, string firstStage, int batchSize)
{
    private const int PageSize = 1000;
    private readonly Batch<Lead>?[] _batches = new Batch<Lead>?[plan.Count];
    private long _taken;

    /// <summary>Reads the leads and hands them on through <paramref name="feed"/>, which counts them.</summary>
    /// <param name="resume">Whether the run is resumed: the leads it left part-way are taken first.</param>
    /// <param name="feed">Hands a batch to a stage of the run (index within the backlog's stages), counting its leads as taken.</param>
    /// <param name="unfed">Counts leads read and taken back but not handed on because the run is stopping: taken, and pending at that stage.</param>
    /// <param name="cancellationToken">Stops the feed when the run stops.</param>
    /// <returns>A task that completes when every lead has been handed on, or the run stopped.</returns>
    public async Task RunAsync(bool resume, Func<int, Batch<Lead>, CancellationToken, ValueTask> feed, Action<int, int> unfed, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            if (resume)
            {
                await FeedLeftPartWayAsync(feed, cancellationToken).ConfigureAwait(false);
            }

            foreach (var state in plan.States)
            {
                if (!await FeedStateAsync(state, feed, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }

            for (var stage = 0; stage < _batches.Length; stage++)
            {
                if (_batches[stage] is { } batch)
                {
                    _batches[stage] = null;
                    await feed(stage, batch, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Read but not handed on: their moves back are not stored, so the leads stay as they were, for the next backlog run.
            for (var stage = 0; stage < _batches.Length; stage++)
            {
                if (_batches[stage] is { Count: > 0 } batch)
                {
                    unfed(stage, batch.Count);
                }
            }
        }
    }

    private async Task FeedLeftPartWayAsync(Func<int, Batch<Lead>, CancellationToken, ValueTask> feed, CancellationToken cancellationToken)
    {
        var states = plan.StageFor.Keys.ToArray();
        Guid? after = null;
        while (true)
        {
            var page = await runtime.Leads.ListByRunAsync(new LeadRunQuery { RunId = runId, Statuses = states, After = after, Take = PageSize }, cancellationToken)
                .ConfigureAwait(false);
            foreach (var lead in page)
            {
                // A routed lead that went through nurture ended there (dry run): an outcome, not a lead left part-way.
                if (lead.Status == LeadStatus.Routed && lead.Nurture is not null)
                {
                    continue;
                }

                lead.StoredVersion = lead.Version;
                _taken++;
                await AddAsync(plan.StageFor[lead.Status], lead, feed, cancellationToken).ConfigureAwait(false);
            }

            if (page.Count < PageSize)
            {
                return;
            }

            after = page[^1].Id;
        }
    }

    // Returns false once the run has taken as many leads as it may.
    private async Task<bool> FeedStateAsync(LeadStatus state, Func<int, Batch<Lead>, CancellationToken, ValueTask> feed, CancellationToken cancellationToken)
    {
        LeadPageKey? after = null;
        var taken = new List<Lead>(PageSize);
        var events = new List<AuditEvent>(PageSize);
        while (true)
        {
            var page = await runtime.Leads.QueryAsync(new LeadQuery { CampaignId = campaignId, Status = state, After = after, Take = PageSize }, cancellationToken)
                .ConfigureAwait(false);
            var full = false;
            var now = runtime.Time.GetUtcNow();
            foreach (var lead in page)
            {
                if (lead.RunId == runId || lead.Status != state)
                {
                    continue;
                }

                if (maxLeads is { } max && _taken >= max)
                {
                    full = true;
                    break;
                }

                _taken++;
                lead.StoredVersion = lead.Version;
                lead.RunId = runId;
                if (lead.Status != plan.Entry)
                {
                    var from = lead.ReenterAt(plan.Entry, now);
                    events.Add(new AuditEvent(lead.Id, lead.CampaignId, runId, lead.Version, firstStage, from, plan.Entry, $"backlog: back to {plan.Entry} to run {firstStage} again", now));
                }

                taken.Add(lead);
            }

            // The page's moves back are recorded together, before any of its leads can be written again.
            if (events.Count > 0)
            {
                await runtime.Audit.AppendManyAsync(events.ToArray(), cancellationToken).ConfigureAwait(false);
                events.Clear();
            }

            foreach (var lead in taken)
            {
                await AddAsync(0, lead, feed, cancellationToken).ConfigureAwait(false);
            }

            taken.Clear();
            if (full)
            {
                return false;
            }

            if (page.Count < PageSize)
            {
                return true;
            }

            after = LeadPageKey.Of(page[^1]);
        }
    }

    private async ValueTask AddAsync(int stage, Lead lead, Func<int, Batch<Lead>, CancellationToken, ValueTask> feed, CancellationToken cancellationToken)
    {
        var batch = _batches[stage] ??= new Batch<Lead>(batchSize);
        batch.Add(lead);
        if (batch.Count == batchSize)
        {
            _batches[stage] = null;
            await feed(stage, batch, cancellationToken).ConfigureAwait(false);
        }
    }
}
