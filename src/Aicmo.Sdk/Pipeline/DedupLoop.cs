using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline.Transport;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// The worker loop of the dedup stage in one run: consume a batch of candidates, let the <see cref="DedupExecutor"/> store the
/// new leads (the store's uniqueness decides duplicates), finish the leads that already reached an outcome (those that cannot
/// be identified), publish the rest to the first lead stage, acknowledge.
/// </summary>
internal sealed class DedupLoop
{
    private readonly DedupExecutor _executor;
    private readonly StageContext _context;
    private readonly IBatchQueue<SourcedCandidate> _input;
    private readonly IBatchQueue<Lead>? _next;
    private readonly LeadWriter _writer;
    private readonly RunReport _report;
    private readonly int _batchSize;
    private readonly Action<Exception, string> _fatal;

    /// <param name="executor">The dedup executor.</param>
    /// <param name="context">The dedup stage's context in this run.</param>
    /// <param name="input">The candidates' queue.</param>
    /// <param name="next">The first lead stage's queue; <see langword="null"/> when there is none.</param>
    /// <param name="writer">Where the leads that reached an outcome are stored.</param>
    /// <param name="report">Where leads left pending are counted.</param>
    /// <param name="batchSize">The run's batch size.</param>
    /// <param name="fatal">Stops the run after an error that is not a lead's fault.</param>
    public DedupLoop(
        DedupExecutor executor, StageContext context, IBatchQueue<SourcedCandidate> input, IBatchQueue<Lead>? next, LeadWriter writer, RunReport report, int batchSize, Action<Exception, string> fatal)
    {
        _executor = executor;
        _context = context;
        _input = input;
        _next = next;
        _writer = writer;
        _report = report;
        _batchSize = batchSize;
        _fatal = fatal;
    }

    /// <summary>Runs one worker until the candidates' queue is complete and empty, or <paramref name="token"/> stops it.</summary>
    public async Task WorkerAsync(CancellationToken token)
    {
        await Task.Yield();
        var stage = _report.Dedup;
        var counters = stage.AddWorker();
        var scratch = new DedupScratch(_batchSize);
        var results = new Lead?[_batchSize];
        var finishing = new FinishingLeads(_batchSize);

        // Leads of the batch in hand not yet counted anywhere: pending if the worker stops before they are.
        var unaccounted = 0;
        try
        {
            while (await _input.WaitToConsumeAsync(token).ConfigureAwait(false))
            {
                while (_input.TryConsume(out var delivery))
                {
                    var candidates = delivery.Batch;
                    unaccounted = candidates.Count;
                    if (results.Length < candidates.Count)
                    {
                        results = new Lead?[candidates.Count];
                        scratch = new DedupScratch(candidates.Count);
                        finishing = new FinishingLeads(candidates.Count);
                    }

                    try
                    {
                        await _executor.ExecuteAsync(candidates.Memory, _context, counters, results, scratch).ConfigureAwait(false);
                    }
                    catch
                    {
                        // The duplicates it found are counted already (the store decided them); the rest of the batch is pending.
                        unaccounted -= scratch.Duplicates;
                        throw;
                    }

                    var outgoing = new Batch<Lead>(candidates.Count);
                    for (var i = 0; i < candidates.Count; i++)
                    {
                        var lead = results[i];
                        results[i] = null;
                        if (lead is null)
                        {
                            unaccounted--;
                        }
                        else if (_next is null && lead.Status == LeadStatus.New)
                        {
                            // A harvest-only run: the dedup stored the lead as it is, for a later run to carry on.
                            counters.CountOutcome(lead.Status);
                            unaccounted--;
                        }
                        else if (lead.Status != LeadStatus.New || _next is null)
                        {
                            finishing.Add(lead);
                        }
                        else
                        {
                            outgoing.Add(lead);
                        }
                    }

                    if (finishing.Count > 0)
                    {
                        unaccounted -= await _writer.FinishAsync(finishing, counters, stage).ConfigureAwait(false);
                    }

                    if (outgoing.Count > 0)
                    {
                        var handedOn = outgoing.Count;
                        await _next!.PublishAsync(outgoing, token).ConfigureAwait(false);
                        Volatile.Write(ref counters.Out, counters.Out + handedOn);
                    }

                    await _input.AcknowledgeAsync(delivery).ConfigureAwait(false);
                    unaccounted = 0;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Interrupted while handing new leads on: they are stored as harvested, so a later run resumes them.
            _report.CountPending(stage, unaccounted);
        }
        catch (Exception ex)
        {
            _report.CountPending(stage, unaccounted);
            stage.Failed = true;
            _fatal(ex, StageNames.Dedup);
        }
    }
}
