using System.Diagnostics;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline.Transport;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// The worker loop of one lead stage in one run: consume a batch from the stage's queue, run the executor for each lead, hand
/// the batch's writes to the <see cref="LeadWriter"/>, publish the leads that go on to the next stage's queue, acknowledge.
/// Knows the queues, not the transport behind them.
/// </summary>
internal sealed class StageLoop
{
    private readonly StageExecutor _executor;
    private readonly StageRunState _state;
    private readonly IBatchQueue<Lead> _input;
    private readonly IBatchQueue<Lead>? _next;
    private readonly LeadWriter _writer;
    private readonly RunReport _report;
    private readonly int _batchSize;
    private readonly Action<Exception, string> _fatal;
    private readonly bool _endsEarly;

    /// <param name="executor">The stage's executor.</param>
    /// <param name="state">The stage's state in this run.</param>
    /// <param name="input">The stage's queue.</param>
    /// <param name="next">The next stage's queue; <see langword="null"/> for the last stage, whose leads all reach an outcome.</param>
    /// <param name="writer">Where the batch's writes go.</param>
    /// <param name="report">Where leads left pending are counted.</param>
    /// <param name="batchSize">The run's batch size.</param>
    /// <param name="fatal">Stops the run after an error that is not a lead's fault.</param>
    /// <param name="endsEarly">Whether the last stage of the run is not the pipeline's last (a backlog of some stages): a lead
    /// that leaves it without an outcome is stored in the state it reached instead of quarantined.</param>
    public StageLoop(
        StageExecutor executor, StageRunState state, IBatchQueue<Lead> input, IBatchQueue<Lead>? next, LeadWriter writer, RunReport report, int batchSize, Action<Exception, string> fatal, bool endsEarly)
    {
        _endsEarly = endsEarly;
        _executor = executor;
        _state = state;
        _input = input;
        _next = next;
        _writer = writer;
        _report = report;
        _batchSize = batchSize;
        _fatal = fatal;
    }

    /// <summary>Runs one worker until the stage's queue is complete and empty, or <paramref name="token"/> stops it.</summary>
    public async Task WorkerAsync(CancellationToken token)
    {
        await Task.Yield();
        using var worker = _state.CreateWorker(_batchSize);
        var counters = worker.Counters;
        var scratch = new BatchScratch(_batchSize);
        Batch<Lead>? batch = null;
        try
        {
            while (await _input.WaitToConsumeAsync(token).ConfigureAwait(false))
            {
                while (_input.TryConsume(out var delivery))
                {
                    batch = delivery.Batch;
                    scratch.Unaccounted = batch.Count;
                    await ExecuteBatchAsync(worker, batch, scratch, token).ConfigureAwait(false);
                    await CompleteBatchAsync(worker, batch, scratch).ConfigureAwait(false);
                    if (batch.Count > 0)
                    {
                        var handedOn = batch.Count;
                        await _next!.PublishAsync(batch, token).ConfigureAwait(false);
                        Volatile.Write(ref counters.Out, counters.Out + handedOn);
                        scratch.Unaccounted -= handedOn;
                    }

                    await _input.AcknowledgeAsync(delivery).ConfigureAwait(false);
                    batch = null;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Interrupted while handing the batch on: the leads still in it are pending where they are.
            if (batch is not null)
            {
                _report.CountPending(_state.Counters, scratch.Unaccounted);
                await _writer.CheckpointAsync(batch).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            if (batch is not null)
            {
                _report.CountPending(_state.Counters, scratch.Unaccounted);
            }

            _state.Counters.Failed = true;
            _fatal(ex, _executor.Name);
        }
    }

    // Runs the stage for every lead of the batch. While the stage completes synchronously the worker runs the leads one after
    // the other; once it has completed asynchronously (an I/O-bound stage), the leads run concurrently under the stage's permits.
    private async ValueTask ExecuteBatchAsync(StageWorker worker, Batch<Lead> batch, BatchScratch scratch, CancellationToken token)
    {
        var executor = _executor;
        var state = _state;
        var dispositions = scratch.Dispositions;
        List<Task>? concurrent = null;
        var k = 0;

        // Busy time of the leads the worker runs itself, measured once for the batch (concurrent executions measure their own).
        var started = worker.MeasuresBusy ? 0 : Stopwatch.GetTimestamp();
        try
        {
            for (; k < batch.Count; k++)
            {
                var lead = batch[k];
                if (state.Asynchronous)
                {
                    if (started != 0)
                    {
                        worker.Counters.AddBusy(Stopwatch.GetTimestamp() - started);
                        started = 0;
                    }

                    await state.Permits.WaitAsync(token).ConfigureAwait(false);
                    (concurrent ??= []).Add(ExecuteConcurrentlyAsync(executor, state, lead, k, scratch, token));
                    continue;
                }

                var pending = executor.ExecuteAsync(lead, state, worker, token);
                if (pending.IsCompletedSuccessfully)
                {
                    dispositions[k] = pending.Result;
                    continue;
                }

                if (!pending.IsCompleted)
                {
                    // From now on the stage's leads run concurrently. This one already runs: it goes on concurrently too when a
                    // permit is free at once, so the worker can start the next lead instead of waiting for it.
                    state.MarkAsynchronous();
                    if (state.Permits.Wait(0))
                    {
                        (concurrent ??= []).Add(CompleteConcurrentlyAsync(pending, state, k, scratch));
                        continue;
                    }
                }

                dispositions[k] = await pending.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The run is stopping before these leads got a permit: they stay where they are.
            for (; k < batch.Count; k++)
            {
                dispositions[k] = LeadDisposition.Pending;
            }
        }

        if (started != 0)
        {
            worker.Counters.AddBusy(Stopwatch.GetTimestamp() - started);
        }

        if (concurrent is not null)
        {
            await Task.WhenAll(concurrent).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteConcurrentlyAsync(
        StageExecutor executor, StageRunState state, Lead lead, int index, BatchScratch scratch, CancellationToken token)
    {
        var worker = state.Rent();
        try
        {
            scratch.Dispositions[index] = await executor.ExecuteAsync(lead, state, worker, token).ConfigureAwait(false);
        }
        finally
        {
            // The lead's events are appended with the rest of the batch's.
            if (worker.Audit is { } events)
            {
                for (var i = 0; i < events.Count; i++)
                {
                    scratch.ConcurrentEvents.Enqueue(events[i]);
                }

                events.Clear();
            }

            state.Return(worker);
            state.Permits.Release();
        }
    }

    private static async Task CompleteConcurrentlyAsync(ValueTask<LeadDisposition> pending, StageRunState state, int index, BatchScratch scratch)
    {
        try
        {
            scratch.Dispositions[index] = await pending.ConfigureAwait(false);
        }
        finally
        {
            state.Permits.Release();
        }
    }

    // Records what the stage did to a batch (its audit events together, the pending leads checkpointed together, the leads that
    // reached an outcome stored together) and leaves in the batch the leads that go on, in order.
    private async ValueTask CompleteBatchAsync(StageWorker worker, Batch<Lead> batch, BatchScratch scratch)
    {
        var dispositions = scratch.Dispositions;
        if (_next is null)
        {
            for (var k = 0; k < batch.Count; k++)
            {
                if (dispositions[k] == LeadDisposition.Continue)
                {
                    if (!_endsEarly)
                    {
                        await _executor.EnsureOutcomeAsync(batch[k], _state, worker).ConfigureAwait(false);
                    }

                    dispositions[k] = LeadDisposition.Finished;
                }
            }
        }

        while (scratch.ConcurrentEvents.TryDequeue(out var concurrentEvent))
        {
            worker.Audit!.Add(concurrentEvent);
        }

        if (worker.Audit is { } events)
        {
            await _writer.AppendEventsAsync(events).ConfigureAwait(false);
        }

        var finishing = scratch.Finishing;
        var pending = scratch.Pending;
        var kept = 0;
        for (var k = 0; k < batch.Count; k++)
        {
            var lead = batch[k];
            switch (dispositions[k])
            {
                case LeadDisposition.Continue:
                    batch.Set(kept++, lead);
                    break;
                case LeadDisposition.Finished:
                    finishing.Add(lead);
                    break;
                default:
                    pending.Add(lead);
                    break;
            }
        }

        batch.Truncate(kept);
        if (pending.Count > 0)
        {
            _report.CountPending(_state.Counters, pending.Count);
            scratch.Unaccounted -= pending.Count;
            try
            {
                await _writer.CheckpointAsync(pending).ConfigureAwait(false);
            }
            finally
            {
                pending.Clear();
            }
        }

        if (finishing.Count > 0)
        {
            scratch.Unaccounted -= await _writer.FinishAsync(finishing, worker.Counters, _state.Counters).ConfigureAwait(false);
        }
    }
}
