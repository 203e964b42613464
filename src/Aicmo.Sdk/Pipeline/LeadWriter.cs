using Aicmo.Sdk.Diagnostics;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging;
using Polly;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// The one place a run writes leads after dedup stored them, each with the audit events gathered since it was last stored
/// (<see cref="LeadWrites"/>: one write): the leads that reached an outcome (<see cref="FinishAsync"/>), and the state that pending leads reached
/// (<see cref="CheckpointAsync(ReadOnlyMemory{Lead})"/>). Every write is a compare-and-set on the lead's stored version.
/// </summary>
internal sealed class LeadWriter
{
    // A checkpoint runs while the run ends: a few quick retries ride out a busy store; what still fails is reported and fails
    // the run, whose leads stay stored in their earlier state and are resumed from there.
    private static readonly TimeSpan CheckpointRetryDelay = TimeSpan.FromMilliseconds(20);
    private const int CheckpointRetries = 3;

    private readonly ILeadRepository _leads;
    private readonly IAuditLog _audit;
    private readonly RunReport _report;
    private readonly ILogger _logger;
    private readonly Guid _runId;
    private readonly Func<bool> _runFailed;
    private readonly ResiliencePipeline _checkpointRetry;

    /// <param name="leads">The lead store.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="report">The run's report, which counts lost writes as pending and failed checkpoints as errors.</param>
    /// <param name="time">The clock of the retry delays.</param>
    /// <param name="logger">The pipeline's logger.</param>
    /// <param name="runId">The run.</param>
    /// <param name="runFailed">Whether the run failed fatally: then nothing is checkpointed (its state cannot be trusted).</param>
    public LeadWriter(ILeadRepository leads, IAuditLog audit, RunReport report, TimeProvider time, ILogger logger, Guid runId, Func<bool> runFailed)
    {
        _leads = leads;
        _audit = audit;
        _report = report;
        _logger = logger;
        _runId = runId;
        _runFailed = runFailed;
        _checkpointRetry = new ResiliencePipelineBuilder { TimeProvider = time, Name = "aicmo.checkpoint" }
            .AddRetry(new Polly.Retry.RetryStrategyOptions
            {
                MaxRetryAttempts = CheckpointRetries,
                Delay = CheckpointRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                ShouldHandle = static args => new ValueTask<bool>(args.Outcome.Exception is not null and not OperationCanceledException),
            })
            .Build();
    }

    /// <summary>Appends a batch's audit events together and clears the batch.</summary>
    public async ValueTask AppendEventsAsync(Batch<AuditEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            await _audit.AppendManyAsync(events.Memory, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            events.Clear();
        }
    }

    /// <summary>Appends audit events that belong to no batch (the creation events a resumed run restores).</summary>
    public ValueTask AppendEventsAsync(ReadOnlyMemory<AuditEvent> events, CancellationToken cancellationToken) =>
        events.IsEmpty ? default : _audit.AppendManyAsync(events, cancellationToken);

    /// <summary>
    /// Stores the leads that reached an outcome, together, each with a compare-and-set on its version, and counts each outcome
    /// whose write won in <paramref name="counters"/>; a lost write is counted pending in <paramref name="stage"/> (another writer,
    /// a run that took this one over, changed the lead first: the outcome is not this run's). Returns how many leads it
    /// accounted for.
    /// </summary>
    public async ValueTask<int> FinishAsync(FinishingLeads finishing, WorkerCounters counters, StageCounters stage)
    {
        var count = finishing.Count;
        try
        {
            await LeadWrites.StoreManyAsync(_leads, _audit, finishing.Updates, finishing.Results, CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                var lead = finishing.Lead(i);
                if (finishing.Results.Span[i])
                {
                    lead.StoredVersion = lead.Version;
                    counters.CountOutcome(lead.Status);
                }
                else
                {
                    Log.UpdateConflict(_logger, lead.Id, _runId);
                    _report.CountPending(stage, 1);
                }
            }
        }
        finally
        {
            finishing.Clear();
        }

        return count;
    }

    /// <summary>Stores the state a batch of pending leads reached, so a later run continues from there.</summary>
    public ValueTask CheckpointAsync(Batch<Lead> batch) => CheckpointAsync(batch.Memory);

    /// <summary>
    /// Stores the state pending leads reached (those changed since they were last stored), with retries. A checkpoint that still
    /// fails is reported (<see cref="RunReport.AddCheckpointFailure"/>) and fails the run; nothing is lost, since the leads
    /// stay stored in an earlier state of theirs and are resumed from there.
    /// </summary>
    public async ValueTask CheckpointAsync(ReadOnlyMemory<Lead> leads)
    {
        if (_runFailed())
        {
            return;
        }

        var changed = new List<LeadUpdate>(leads.Length);
        foreach (var lead in leads.Span)
        {
            if (lead.Version != lead.StoredVersion)
            {
                changed.Add(new LeadUpdate(lead, lead.StoredVersion));
            }
        }

        if (changed.Count == 0)
        {
            return;
        }

        var updates = changed.ToArray();
        var stored = new bool[updates.Length];
        try
        {
            await _checkpointRetry.ExecuteAsync(
                static async (state, ct) => await LeadWrites.StoreManyAsync(state.Leads, state.Audit, state.Updates, state.Stored, ct).ConfigureAwait(false),
                (Leads: _leads, Audit: _audit, Updates: updates, Stored: stored),
                CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < stored.Length; i++)
            {
                if (stored[i])
                {
                    updates[i].Lead.StoredVersion = updates[i].Lead.Version;
                }
            }
        }
        catch (Exception ex)
        {
            Log.CheckpointFailed(_logger, updates[0].Lead.Id, _runId, ex);
            _report.AddCheckpointFailure(updates.Length, ex);
        }
    }
}
