using System.Diagnostics;
using System.Threading.Channels;
using Aicmo.Sdk.Diagnostics;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// One run over the in-process transport: a bounded channel in front of every stage, N workers per stage, sources read
/// concurrently. Completion flows downstream (a stage's channel closes when the stage before it has finished); faults and
/// cancellation flow upstream through the run's tokens.
/// </summary>
internal sealed class ChannelPipelineRun : IPipelineRun, IQueueDepthSource
{
    private readonly PipelineRuntime _rt;
    private readonly PipelineRunRequest _request;
    private readonly CancellationTokenSource _runCts;
    private readonly CancellationTokenSource _processingCts;
    private readonly RunEventHub _events;
    private readonly Channel<Batch<SourcedCandidate>> _candidates;
    private readonly Channel<Batch<Lead>>[] _channels;

    // Leads (or candidates) queued in front of each stage: slot 0 is the dedup stage's input, slot i + 1 stage i's.
    private readonly long[] _depths;
    private readonly int _batchSize;
    private readonly StageCounters _harvest = new(StageNames.Harvest);
    private readonly StageCounters _dedup = new(StageNames.Dedup);
    private readonly StageCounters[] _stageCounters;
    private readonly StageRunState[] _states;
    private readonly StageContext _dedupContext;
    private readonly List<PipelineError> _errors = [];
    private readonly long _startTimestamp;
    private readonly DateTimeOffset _startedAt;
    private readonly Task<PipelineRunResult> _completion;
    private CancellationTokenRegistration _userRegistration;
    private long _taken;
    private Exception? _fatal;
    private volatile bool _harvestCutShort;
    private volatile bool _ended;
    private volatile bool _leaseLost;
    private readonly bool _resume;
    private readonly BacklogPlan? _backlog;
    private readonly IReadOnlyDictionary<string, string> _parameters;
    private Task _resumeFeed = Task.CompletedTask;
    private long _resumed;

    public ChannelPipelineRun(PipelineRuntime runtime, PipelineRunRequest request, CancellationToken cancellationToken, bool resume = false, BacklogPlan? backlog = null)
    {
        _resume = resume;
        _backlog = backlog;
        _parameters = RunRequestValidation.Freeze(request.Parameters);
        _rt = runtime;
        _request = request;
        RunId = request.RunId ?? Guid.CreateVersion7(runtime.Time.GetUtcNow());
        CampaignId = request.CampaignId;
        var options = runtime.Options;

        _runCts = new CancellationTokenSource();
        _processingCts = new CancellationTokenSource(Timeout.InfiniteTimeSpan, runtime.Time);
        _events = new RunEventHub(options.MaxRetainedQuarantineEvents);

        // Bounded channels give backpressure: a slow stage stalls the ones before it instead of buffering without limit. Leads
        // travel in batches, so the channels hold about ChannelCapacity leads in ChannelCapacity / batch size batches.
        _batchSize = Math.Min(options.BatchSize, options.ChannelCapacity);
        var capacity = Math.Max(1, options.ChannelCapacity / _batchSize);
        _candidates = Channel.CreateBounded<Batch<SourcedCandidate>>(new BoundedChannelOptions(capacity)
        {
            SingleWriter = runtime.Sources.Count == 1,
            SingleReader = options.ParallelismFor(StageNames.Dedup) == 1,
        });
        var count = runtime.Executors.Count;
        _channels = new Channel<Batch<Lead>>[count];
        _depths = new long[count + 1];
        _stageCounters = new StageCounters[count];
        _states = new StageRunState[count];
        for (var i = 0; i < count; i++)
        {
            var name = runtime.Executors[i].Name;
            _channels[i] = Channel.CreateBounded<Batch<Lead>>(new BoundedChannelOptions(capacity)
            {
                SingleReader = options.ParallelismFor(name) == 1,
                SingleWriter = false,
            });
            _stageCounters[i] = new StageCounters(name);
            _states[i] = new StageRunState(
                NewContext(name),
                _stageCounters[i],
                OnQuarantined,
                options.ParallelismFor(name));
        }

        _dedupContext = NewContext(StageNames.Dedup);
        _startTimestamp = Stopwatch.GetTimestamp();
        _startedAt = runtime.Time.GetUtcNow();
        if (cancellationToken.CanBeCanceled)
        {
            _userRegistration = cancellationToken.Register(static s => ((ChannelPipelineRun)s!).Cancel(), this);
        }

        _completion = Task.Run(ExecuteAsync);
    }

    private StageContext NewContext(string stage) =>
        new(RunId, CampaignId, stage, _rt.Time, _rt.Options.DryRun || _request.DryRun) { WritesNothing = _request.DryRun, Parameters = _parameters };

    IEnumerable<(string Stage, int Depth)> IQueueDepthSource.QueueDepths()
    {
        yield return (StageNames.Dedup, Depth(0));
        for (var i = 0; i < _channels.Length; i++)
        {
            yield return (_stageCounters[i].Name, Depth(i + 1));
        }
    }

    public Guid RunId { get; }

    public string CampaignId { get; }

    public IAsyncEnumerable<PipelineEvent> Events => _events.SubscribeAsync();

    /// <summary>Gets the run's event hub (for erasure, which redacts the events it retains).</summary>
    internal RunEventHub EventHub => _events;

    public PipelineProgress Progress
    {
        get
        {
            var stages = Snapshot();
            return new(RunId, Stopwatch.GetElapsedTime(_startTimestamp), stages[0].Out, stages[1].Duplicates, stages);
        }
    }

    public Task<PipelineRunResult> Completion => _completion;

    public void Cancel()
    {
        if (_ended || _runCts.IsCancellationRequested)
        {
            return;
        }

        Log.RunCancelling(_rt.Logger, RunId, _rt.Options.CancellationDrainTimeout);
        try
        {
            _runCts.Cancel();
            _processingCts.CancelAfter(_rt.Options.CancellationDrainTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The run has already ended.
        }
    }

    private async Task<PipelineRunResult> ExecuteAsync()
    {
        using var activity = AicmoDiagnostics.ActivitySource.StartActivity("aicmo.pipeline.run", ActivityKind.Internal);
        activity?.SetTag("aicmo.run.id", RunId);
        activity?.SetTag("aicmo.campaign.id", CampaignId);
        Log.RunStarted(_rt.Logger, RunId, CampaignId, string.Join(" > ", _rt.StageNames));
        _events.Publish(new RunStarted(RunId, _rt.Time.GetUtcNow(), CampaignId, _rt.StageNames));

        AicmoDiagnostics.ActiveRuns[RunId] = this;
        using var progressCts = new CancellationTokenSource();
        var progress = ProgressLoopAsync(progressCts.Token);
        try
        {
            await _rt.Campaigns.GetOrAddAsync(new Campaign { Id = CampaignId, CreatedAt = _startedAt }, _runCts.Token).ConfigureAwait(false);
            await _rt.Runs.SaveAsync(Record(PipelineRunStatus.Running, null), _runCts.Token).ConfigureAwait(false);
            var owned = await ClaimInterruptedRunsAsync(_runCts.Token).ConfigureAwait(false);
            if (_backlog is { } plan)
            {
                // A backlog run's leads come from the store instead of the sources (which it has none of).
                _resumeFeed = FeedBacklogAsync(plan);
            }
            else if ((_resume || owned.Count > 1) && _channels.Length > 0)
            {
                // Streamed into the stages page by page while they run; the harvest waits for it (see HarvestAsync).
                _resumeFeed = FeedResumedAsync(owned);
            }

            var groups = new List<Task>(_channels.Length + 2)
            {
                HarvestAsync(),
                RunGroupAsync(_rt.Options.ParallelismFor(StageNames.Dedup), _dedup, -1),
            };
            for (var i = 0; i < _channels.Length; i++)
            {
                groups.Add(RunGroupAsync(_rt.Options.ParallelismFor(_rt.Executors[i].Name), _stageCounters[i], i));
            }

            groups.Add(_resumeFeed);

            await Task.WhenAll(groups).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_runCts.IsCancellationRequested && _fatal is null)
        {
            // Cancelled before the first lead moved.
            _harvestCutShort = true;
        }
        catch (Exception ex)
        {
            Fatal(ex, "run");
        }

        await DrainLeftoversAsync().ConfigureAwait(false);
        AicmoDiagnostics.ActiveRuns.TryRemove(RunId, out _);
        progressCts.Cancel();
        await progress.ConfigureAwait(false);

        var result = BuildResult();
        try
        {
            await _rt.Runs.SaveAsync(Record(result.Status, result), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.RunRecordFailed(_rt.Logger, RunId, ex);
        }

        activity?.SetTag("aicmo.run.status", result.Status.ToString());
        Log.RunCompleted(_rt.Logger, RunId, result.Status, result.Harvested, result.Duplicates, result.Quarantined, result.Pending, result.Duration);
        _ended = true;
        _userRegistration.Dispose();
        _events.Publish(new RunCompleted(RunId, result.CompletedAt, result));
        _runCts.Dispose();
        _processingCts.Dispose();
        return result;
    }

    private async Task HarvestAsync()
    {
        // A resumed run pages through its own leads too: the leads it harvests now must not be among them, so the sources start
        // once every page has been read. The feed's own failure is reported by the feed.
        try
        {
            await _resumeFeed.ConfigureAwait(false);
        }
        catch
        {
        }

        var sources = _rt.Sources;
        var tasks = new Task[sources.Count];
        for (var i = 0; i < sources.Count; i++)
        {
            tasks[i] = ReadSourceAsync(sources[i]);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        Volatile.Write(ref _harvest.CompletedAt, Stopwatch.GetTimestamp());

        // Published before the next stage can see the end of its input, so StageCompleted events arrive in pipeline order.
        _events.Publish(new StageCompleted(RunId, _rt.Time.GetUtcNow(), _harvest.Snapshot(_startTimestamp, 0)));
        _candidates.Writer.TryComplete();
    }

    private async Task ReadSourceAsync(ILeadSource source)
    {
        await Task.Yield();
        var token = _runCts.Token;
        var max = _request.MaxLeads;
        var sourceTag = new KeyValuePair<string, object?>("source", source.Name);
        var counters = _harvest.AddWorker();
        var batch = new Batch<SourcedCandidate>(_batchSize);
        try
        {
            var context = new LeadSourceContext(RunId, CampaignId, max) { Parameters = _parameters };
            var items = source.ReadAsync(context, token).GetAsyncEnumerator(token);
            await using (items.ConfigureAwait(false))
            {
                while (true)
                {
                    var next = items.MoveNextAsync();
                    if (!next.IsCompleted && batch.Count > 0)
                    {
                        // The source is about to wait: what it has yielded so far goes on now instead of waiting with it.
                        try
                        {
                            batch = await HandOnAsync(batch, counters, sourceTag, token).ConfigureAwait(false);
                        }
                        catch
                        {
                            // The source must not be disposed while it is still producing the next candidate.
                            await IgnoreFaultAsync(next).ConfigureAwait(false);
                            throw;
                        }
                    }

                    if (!await next.ConfigureAwait(false))
                    {
                        break;
                    }

                    var candidate = items.Current
                        ?? throw new InvalidOperationException($"Lead source '{source.Name}' yielded a null candidate.");
                    if (max is { } limit && Interlocked.Increment(ref _taken) > limit)
                    {
                        break;
                    }

                    batch.Add(new SourcedCandidate(candidate, source.Name));
                    if (batch.Count == _batchSize)
                    {
                        batch = await HandOnAsync(batch, counters, sourceTag, token).ConfigureAwait(false);
                    }
                }
            }

            if (batch.Count > 0)
            {
                await HandOnAsync(batch, counters, sourceTag, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _harvestCutShort = true;
        }
        catch (Exception ex)
        {
            // A failing source ends itself only; the others and the leads already harvested go on, those it yielded before
            // failing included.
            _harvest.Failed = true;
            Log.SourceFailed(_rt.Logger, source.Name, RunId, ex);
            lock (_errors)
            {
                _errors.Add(new PipelineError(StageNames.Harvest, source.Name, ex.GetType().FullName ?? ex.GetType().Name, ex.Message));
            }

            if (batch.Count > 0)
            {
                try
                {
                    await HandOnAsync(batch, counters, sourceTag, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    _harvestCutShort = true;
                }
            }
        }
    }

    private static async ValueTask IgnoreFaultAsync(ValueTask<bool> pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch
        {
            // Already failing for another reason; this one is not the error to report.
        }
    }

    // Candidates count as harvested once the dedup stage's channel has taken them.
    private async ValueTask<Batch<SourcedCandidate>> HandOnAsync(
        Batch<SourcedCandidate> batch, WorkerCounters counters, KeyValuePair<string, object?> sourceTag, CancellationToken token)
    {
        var count = batch.Count;
        Interlocked.Add(ref _depths[0], count);
        try
        {
            await _candidates.Writer.WriteAsync(batch, token).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Add(ref _depths[0], -count);
            throw;
        }

        Volatile.Write(ref counters.In, counters.In + count);
        Volatile.Write(ref counters.Out, counters.Out + count);
        if (AicmoDiagnostics.Harvested.Enabled)
        {
            AicmoDiagnostics.Harvested.Add(count, sourceTag);
        }

        return new Batch<SourcedCandidate>(_batchSize);
    }

    // Hands a batch of leads to stage `stage` and returns how many it held: the caller lets go of it, since the next stage's
    // worker may already be changing it.
    private async ValueTask<int> WriteAsync(int stage, Batch<Lead> batch, CancellationToken token)
    {
        var count = batch.Count;
        Interlocked.Add(ref _depths[stage + 1], count);
        try
        {
            await _channels[stage].Writer.WriteAsync(batch, token).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Add(ref _depths[stage + 1], -count);
            throw;
        }

        return count;
    }

    private int Depth(int slot) => (int)Math.Max(0, Volatile.Read(ref _depths[slot]));

    private async Task RunGroupAsync(int workers, StageCounters counters, int stageIndex)
    {
        var tasks = new Task[workers];
        for (var w = 0; w < workers; w++)
        {
            tasks[w] = stageIndex < 0 ? DedupWorkerAsync() : StageWorkerAsync(stageIndex);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        Volatile.Write(ref counters.CompletedAt, Stopwatch.GetTimestamp());
        if (stageIndex >= 0)
        {
            _states[stageIndex].DisposeSpares();
        }

        _events.Publish(new StageCompleted(RunId, _rt.Time.GetUtcNow(), counters.Snapshot(_startTimestamp, Depth(stageIndex + 1))));
        var next = stageIndex + 1;
        if (next < _channels.Length)
        {
            // A resumed run also feeds leads into the middle of the pipeline: a channel closes once that feed is done too.
            await _resumeFeed.ConfigureAwait(false);
            _channels[next].Writer.TryComplete();
        }
    }

    private async Task DedupWorkerAsync()
    {
        await Task.Yield();
        var reader = _candidates.Reader;
        var token = _processingCts.Token;
        var counters = _dedup.AddWorker();
        var scratch = new DedupScratch(_batchSize);
        var results = new Lead?[_batchSize];
        var finishing = new FinishingLeads(_batchSize);

        // Leads of the batch in hand not yet counted anywhere: pending if the worker stops before they are.
        var unaccounted = 0;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var candidates))
                {
                    Interlocked.Add(ref _depths[0], -candidates.Count);
                    unaccounted = candidates.Count;
                    try
                    {
                        await _rt.Dedup.ExecuteAsync(candidates.Memory, _dedupContext, counters, results, scratch).ConfigureAwait(false);
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
                        else if (_channels.Length == 0 && lead.Status == LeadStatus.New)
                        {
                            // A harvest-only run: the dedup stored the lead as it is, for a later run to carry on.
                            counters.CountOutcome(lead.Status);
                            unaccounted--;
                        }
                        else if (lead.Status != LeadStatus.New || _channels.Length == 0)
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
                        unaccounted -= await FinishAsync(finishing, counters, _dedup).ConfigureAwait(false);
                    }

                    if (outgoing.Count > 0)
                    {
                        var handedOn = await WriteAsync(0, outgoing, token).ConfigureAwait(false);
                        Volatile.Write(ref counters.Out, counters.Out + handedOn);
                    }

                    unaccounted = 0;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Interrupted while handing new leads on: they are stored as harvested, so a later run resumes them.
            Interlocked.Add(ref _dedup.Pending, unaccounted);
        }
        catch (Exception ex)
        {
            Interlocked.Add(ref _dedup.Pending, unaccounted);
            _dedup.Failed = true;
            Fatal(ex, StageNames.Dedup);
        }
    }

    private async Task StageWorkerAsync(int index)
    {
        await Task.Yield();
        var executor = _rt.Executors[index];
        var state = _states[index];
        var reader = _channels[index].Reader;
        var last = index + 1 == _channels.Length;
        var token = _processingCts.Token;
        using var worker = state.CreateWorker(_batchSize);
        var counters = worker.Counters;
        var scratch = new BatchScratch(_batchSize);
        Batch<Lead>? batch = null;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (reader.TryRead(out batch))
                {
                    Interlocked.Add(ref _depths[index + 1], -batch.Count);
                    scratch.Unaccounted = batch.Count;
                    await ExecuteBatchAsync(executor, state, worker, batch, scratch, token).ConfigureAwait(false);
                    await CompleteBatchAsync(executor, state, worker, batch, scratch, last).ConfigureAwait(false);
                    if (batch.Count > 0)
                    {
                        var handedOn = await WriteAsync(index + 1, batch, token).ConfigureAwait(false);
                        Volatile.Write(ref counters.Out, counters.Out + handedOn);
                    }

                    scratch.Unaccounted = 0;
                    batch = null;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Interrupted while handing the batch on (the executor reports the leads it was running as pending itself).
            if (batch is not null)
            {
                Interlocked.Add(ref state.Counters.Pending, scratch.Unaccounted);
                await CheckpointAsync(batch).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            if (batch is not null)
            {
                Interlocked.Add(ref state.Counters.Pending, Volatile.Read(ref scratch.Unaccounted));
            }

            state.Counters.Failed = true;
            Fatal(ex, executor.Name);
        }
    }

    // Runs the stage for every lead of the batch. While the stage completes synchronously the worker runs the leads one after
    // the other; once it has completed asynchronously (an I/O-bound stage), the leads run concurrently under the stage's permits.
    private static async ValueTask ExecuteBatchAsync(
        StageExecutor executor, StageRunState state, StageWorker worker, Batch<Lead> batch, BatchScratch scratch, CancellationToken token)
    {
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
                LeadDisposition disposition;
                if (pending.IsCompletedSuccessfully)
                {
                    disposition = pending.Result;
                }
                else
                {
                    if (!pending.IsCompleted)
                    {
                        // From now on the stage's leads run concurrently. This one already runs: it goes on concurrently too
                        // when a permit is free at once, so the worker can start the next lead instead of waiting for it.
                        state.MarkAsynchronous();
                        if (state.Permits.Wait(0))
                        {
                            (concurrent ??= []).Add(CompleteConcurrentlyAsync(pending, state, k, scratch));
                            continue;
                        }
                    }

                    disposition = await pending.ConfigureAwait(false);
                }

                scratch.Record(k, disposition);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The run is stopping before these leads got a permit: they stay where they are.
            for (; k < batch.Count; k++)
            {
                Interlocked.Increment(ref state.Counters.Pending);
                scratch.Record(k, LeadDisposition.Pending);
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
            var disposition = await executor.ExecuteAsync(lead, state, worker, token).ConfigureAwait(false);
            scratch.Record(index, disposition);
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
            var disposition = await pending.ConfigureAwait(false);
            scratch.Record(index, disposition);
        }
        finally
        {
            state.Permits.Release();
        }
    }

    // Records what the stage did to a batch (its audit events together, the leads that reached an outcome together, the
    // pending ones checkpointed) and leaves in the batch the leads that go on, in order.
    private async ValueTask CompleteBatchAsync(
        StageExecutor executor, StageRunState state, StageWorker worker, Batch<Lead> batch, BatchScratch scratch, bool last)
    {
        var dispositions = scratch.Dispositions;
        if (last)
        {
            for (var k = 0; k < batch.Count; k++)
            {
                if (dispositions[k] == LeadDisposition.Continue)
                {
                    // A run that ends early (a backlog of some stages) stores the lead in the state it reached.
                    if (!_rt.EndsEarly)
                    {
                        await executor.EnsureOutcomeAsync(batch[k], state, worker).ConfigureAwait(false);
                    }

                    dispositions[k] = LeadDisposition.Finished;
                }
            }
        }

        while (scratch.ConcurrentEvents.TryDequeue(out var concurrentEvent))
        {
            worker.Audit!.Add(concurrentEvent);
        }

        if (worker.Audit is { Count: > 0 } events)
        {
            try
            {
                await _rt.Audit.AppendManyAsync(events.Memory, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                events.Clear();
            }
        }

        var finishing = scratch.Finishing;
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
                    await CheckpointAsync(lead).ConfigureAwait(false);
                    break;
            }
        }

        batch.Truncate(kept);
        if (finishing.Count > 0)
        {
            var finished = await FinishAsync(finishing, worker.Counters, state.Counters).ConfigureAwait(false);
            Interlocked.Add(ref scratch.Unaccounted, -finished);
        }
    }

    // Stores the leads that reached an outcome, together, each with a compare-and-set on its version, and counts each outcome
    // whose write won (a lost one as pending in the stage); returns how many leads it accounted for.
    private async ValueTask<int> FinishAsync(FinishingLeads finishing, WorkerCounters counters, StageCounters pending)
    {
        var count = finishing.Count;
        try
        {
            await LeadWrites.StoreManyAsync(_rt.Leads, _rt.Audit, finishing.Updates, finishing.Results, CancellationToken.None).ConfigureAwait(false);
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
                    // Another writer (a run that took this one over) changed the lead first: the outcome is not this run's. The
                    // lead is left to whoever holds it, so this run counts it pending, never as an outcome it did not store.
                    Log.UpdateConflict(_rt.Logger, lead.Id, RunId);
                    Interlocked.Increment(ref pending.Pending);
                }
            }
        }
        finally
        {
            finishing.Clear();
        }

        return count;
    }

    private void OnQuarantined(Lead lead, LeadFault fault) =>
        _events.Publish(new LeadQuarantined(RunId, _rt.Time.GetUtcNow(), lead.Id, fault));

    private void Fatal(Exception ex, string stage)
    {
        if (Interlocked.CompareExchange(ref _fatal, ex, null) is null)
        {
            Log.FatalError(_rt.Logger, RunId, stage, ex);
            lock (_errors)
            {
                _errors.Add(new PipelineError(stage, null, ex.GetType().FullName ?? ex.GetType().Name, ex.Message));
            }
        }

        // Stop everything upstream and downstream: producers must not keep feeding a run that cannot finish.
        try
        {
            _runCts.Cancel();
            _processingCts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task DrainLeftoversAsync()
    {
        // Whatever is still queued when workers stop is pending: harvested, not finished, resumable by a later run.
        while (_candidates.Reader.TryRead(out var candidates))
        {
            Interlocked.Add(ref _dedup.Pending, candidates.Count);
        }

        for (var i = 0; i < _channels.Length; i++)
        {
            while (_channels[i].Reader.TryRead(out var batch))
            {
                Interlocked.Add(ref _stageCounters[i].Pending, batch.Count);
                await CheckpointAsync(batch).ConfigureAwait(false);
            }
        }
    }

    // Stores the state pending leads reached, so a later run continues from there. Best effort: the run is already ending.
    private async ValueTask CheckpointAsync(Batch<Lead> batch)
    {
        if (_fatal is not null)
        {
            return;
        }

        var changed = new List<LeadUpdate>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Version != batch[i].StoredVersion)
            {
                changed.Add(new LeadUpdate(batch[i], batch[i].StoredVersion));
            }
        }

        if (changed.Count == 0)
        {
            return;
        }

        try
        {
            var stored = new bool[changed.Count];
            await LeadWrites.StoreManyAsync(_rt.Leads, _rt.Audit, changed.ToArray(), stored, CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < stored.Length; i++)
            {
                if (stored[i])
                {
                    changed[i].Lead.StoredVersion = changed[i].Lead.Version;
                }
            }
        }
        catch (Exception ex)
        {
            Log.CheckpointFailed(_rt.Logger, changed[0].Lead.Id, RunId, ex);
        }
    }

    private async ValueTask CheckpointAsync(Lead lead)
    {
        if (_fatal is not null || lead.Version == lead.StoredVersion)
        {
            return;
        }

        try
        {
            if (await LeadWrites.StoreAsync(_rt.Leads, _rt.Audit, lead, lead.StoredVersion, CancellationToken.None).ConfigureAwait(false))
            {
                lead.StoredVersion = lead.Version;
            }
        }
        catch (Exception ex)
        {
            Log.CheckpointFailed(_rt.Logger, lead.Id, RunId, ex);
        }
    }

    private const int ResumePageSize = 1000;

    private static readonly LeadStatus[] UnfinishedStates = [LeadStatus.New, LeadStatus.Enriched, LeadStatus.Scored, LeadStatus.Qualified, LeadStatus.Routed];

    // The runs whose unfinished leads this run continues: itself (a resumed run), the campaign's interrupted runs when
    // ResumeInterruptedRuns is on, and every run those had taken over in turn. Interrupted runs are marked taken over first,
    // so the next run of the campaign does not take them again.
    private async Task<HashSet<Guid>> ClaimInterruptedRunsAsync(CancellationToken cancellationToken)
    {
        var owned = new HashSet<Guid> { RunId };
        var options = _rt.Options;

        // Only a full run takes others over, and only full runs: a harvest-only or backlog run's leads are carried on by a run
        // of its kind, and a dry run changes nothing.
        var takesOver = options.ResumeInterruptedRuns && _request.Kind == PipelineRunKind.Full && !_request.DryRun;
        if (!_resume && !takesOver)
        {
            return owned;
        }

        var runs = await _rt.Runs.ListAsync(CampaignId, cancellationToken).ConfigureAwait(false);
        var now = _rt.Time.GetUtcNow();
        if (takesOver)
        {
            var staleBefore = now - options.InterruptedRunTimeout;
            foreach (var run in runs)
            {
                // The list only says which runs are worth trying; the store decides, atomically, which run takes each one over,
                // so two hosts starting the campaign at once never both take the same run.
                if (run.RunId != RunId && run.Kind == PipelineRunKind.Full && !run.DryRun && run.IsInterrupted(staleBefore) &&
                    await _rt.Runs.TryTakeOverAsync(run.RunId, RunId, staleBefore, now, cancellationToken).ConfigureAwait(false))
                {
                    Log.RunTakenOver(_rt.Logger, run.RunId, run.Status, RunId);
                    owned.Add(run.RunId);
                }
            }
        }

        // Runs taken over earlier by a run now being continued: their leads may not have been touched yet.
        for (var added = true; added;)
        {
            added = false;
            foreach (var run in runs)
            {
                if (run.TakenOverBy is { } by && owned.Contains(by) && owned.Add(run.RunId))
                {
                    added = true;
                }
            }
        }

        return owned;
    }

    private int ResumeStageFor(LeadStatus status)
    {
        var names = _rt.Executors.Select(e => e.Name).ToList();
        return status switch
        {
            LeadStatus.New => 0,
            LeadStatus.Enriched => names.IndexOf(StageNames.Enrich) + 1,
            LeadStatus.Scored => names.IndexOf(StageNames.Qualify),
            LeadStatus.Qualified => names.IndexOf(StageNames.Route),
            LeadStatus.Routed => names.IndexOf(StageNames.Nurture),
            _ => -1,
        };
    }

    // Feeds the leads of the owned runs stored in a state no outcome is into the stage that comes next for each, page by page
    // (keyset pages in id order, so a lead whose state another run changes meanwhile is neither skipped nor read twice), in
    // batches per stage; only a page and one batch per stage are held at a time.
    private async Task FeedResumedAsync(HashSet<Guid> owned)
    {
        await Task.Yield();
        var token = _processingCts.Token;
        var batches = new Batch<Lead>?[_channels.Length];
        var stageFor = UnfinishedStates.ToDictionary(static s => s, ResumeStageFor);
        try
        {
            foreach (var runId in owned)
            {
                Guid? after = null;
                while (true)
                {
                    var page = await _rt.Leads.ListByRunAsync(new LeadRunQuery { RunId = runId, Statuses = UnfinishedStates, After = after, Take = ResumePageSize }, token)
                        .ConfigureAwait(false);

                    // The creation events the interrupted run may not have recorded, for the whole page in one append, before any
                    // of its leads can be written again.
                    var creations = page.Select(DedupExecutor.CreationEventToRestore).OfType<AuditEvent>().ToArray();
                    if (creations.Length > 0)
                    {
                        await _rt.Audit.AppendManyAsync(creations, token).ConfigureAwait(false);
                    }

                    foreach (var lead in page)
                    {
                        var stage = stageFor[lead.Status];

                        // A routed lead that went through nurture ended there (dry run): it is an outcome, not a pending lead.
                        if (stage < 0 || (lead.Status == LeadStatus.Routed && lead.Nurture is not null))
                        {
                            continue;
                        }

                        // This run answers for the lead from now on; the change is stored with the lead's next write.
                        lead.RunId = RunId;
                        lead.StoredVersion = lead.Version;
                        var batch = batches[stage] ??= new Batch<Lead>(_batchSize);
                        batch.Add(lead);
                        if (batch.Count == _batchSize)
                        {
                            batches[stage] = null;
                            await FeedAsync(stage, batch, token).ConfigureAwait(false);
                        }
                    }

                    if (page.Count < ResumePageSize)
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
                    Interlocked.Add(ref _resumed, batch.Count);
                    Interlocked.Add(ref _stageCounters[stage].Pending, batch.Count);
                }
            }
        }
        catch (Exception ex)
        {
            Fatal(ex, "resume");
            throw;
        }
    }

    private async Task FeedBacklogAsync(BacklogPlan plan)
    {
        var feed = new BacklogFeed(_rt, plan, RunId, CampaignId, _request.MaxLeads, _rt.Executors[0].Name, _batchSize);
        try
        {
            await feed.RunAsync(_resume, FeedAsync, (stage, count) =>
            {
                Interlocked.Add(ref _resumed, count);
                Interlocked.Add(ref _stageCounters[stage].Pending, count);
            }, _processingCts.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Fatal(ex, "backlog");
            throw;
        }
    }

    private async ValueTask FeedAsync(int stage, Batch<Lead> batch, CancellationToken token)
    {
        try
        {
            Interlocked.Add(ref _resumed, await WriteAsync(stage, batch, token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Interlocked.Add(ref _resumed, batch.Count);
            Interlocked.Add(ref _stageCounters[stage].Pending, batch.Count);
            throw;
        }
    }

    private async Task ProgressLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_rt.Options.ProgressInterval, _rt.Time);
        var checkpointInterval = TimeSpan.FromSeconds(1) > _rt.Options.ProgressInterval ? TimeSpan.FromSeconds(1) : _rt.Options.ProgressInterval;
        var lastCheckpoint = _rt.Time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                _events.Publish(new StageProgress(RunId, _rt.Time.GetUtcNow(), Progress));
                if (_rt.Time.GetElapsedTime(lastCheckpoint) >= checkpointInterval)
                {
                    lastCheckpoint = _rt.Time.GetTimestamp();
                    await SaveCheckpointAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // The run record is rewritten with the counts so far about once a second, so a dashboard (or whoever finds the run after
    // its process died) sees how far it got. The final record is written after this loop has stopped, so it is never overwritten.
    private async Task SaveCheckpointAsync()
    {
        try
        {
            var stages = Snapshot();
            var record = Record(PipelineRunStatus.Running, null) with { Harvested = stages[0].Out, Duplicates = stages[1].Duplicates, Stages = stages };
            if (!await _rt.Runs.SaveAsync(record, CancellationToken.None).ConfigureAwait(false) && !_leaseLost)
            {
                // Another host judged this run dead (its heartbeat stalled) and took it over: its leads answer to that run now.
                // This one stops taking leads and drains; whatever it still writes is a compare-and-set on each lead.
                _leaseLost = true;
                Log.RunLeaseLost(_rt.Logger, RunId);
                Cancel();
            }
        }
        catch (Exception ex)
        {
            Log.RunRecordFailed(_rt.Logger, RunId, ex);
        }
    }

    private List<StageStatistics> Snapshot()
    {
        var list = new List<StageStatistics>(_stageCounters.Length + 2)
        {
            _harvest.Snapshot(_startTimestamp, 0),
            _dedup.Snapshot(_startTimestamp, Depth(0)),
        };
        for (var i = 0; i < _stageCounters.Length; i++)
        {
            list.Add(_stageCounters[i].Snapshot(_startTimestamp, Depth(i + 1)));
        }

        return list;
    }

    private PipelineRunResult BuildResult()
    {
        var stages = Snapshot();
        long disqualified = 0, review = 0, routed = 0, contacted = 0, suppressed = 0, quarantined = 0, pending = 0, stored = 0;
        foreach (var s in stages)
        {
            disqualified += s.Disqualified;
            review += s.ManualReview;
            routed += s.Routed;
            contacted += s.Contacted;
            suppressed += s.Suppressed;
            quarantined += s.Quarantined;
            pending += s.Pending;
            stored += s.Stored;
        }

        var cancelled = _runCts.IsCancellationRequested && (_harvestCutShort || pending > 0);
        var status = _fatal is not null ? PipelineRunStatus.Failed
            : cancelled ? PipelineRunStatus.Cancelled
            : _harvest.Failed || quarantined > 0 ? PipelineRunStatus.CompletedWithErrors
            : PipelineRunStatus.Completed;

        PipelineError[] errors;
        lock (_errors)
        {
            errors = [.. _errors];
        }

        return new PipelineRunResult
        {
            RunId = RunId,
            CampaignId = CampaignId,
            Status = status,
            Kind = _request.Kind,
            DryRun = _request.DryRun,
            StartedAt = _startedAt,
            CompletedAt = _rt.Time.GetUtcNow(),
            Duration = Stopwatch.GetElapsedTime(_startTimestamp),
            Harvested = stages[0].Out,
            Duplicates = stages[1].Duplicates,
            Rejected = stages[1].Rejected,
            PossibleDuplicateSends = stages.Sum(static s => s.PossibleDuplicateSends),
            Disqualified = disqualified,
            ManualReview = review,
            Routed = routed,
            Contacted = contacted,
            Suppressed = suppressed,
            Quarantined = quarantined,
            Pending = pending,
            Stored = stored,
            Resumed = _backlog is null ? Volatile.Read(ref _resumed) : 0,
            Selected = _backlog is null ? 0 : Volatile.Read(ref _resumed),
            Stages = stages,
            Errors = errors,
        };
    }

    private RunRecord Record(PipelineRunStatus status, PipelineRunResult? result) => new()
    {
        RunId = RunId,
        CampaignId = CampaignId,
        Status = status,
        StartedAt = _startedAt,
        UpdatedAt = _rt.Time.GetUtcNow(),
        CompletedAt = result?.CompletedAt,
        MaxLeads = _request.MaxLeads,
        Kind = _request.Kind,
        Backlog = _request.Backlog,
        DryRun = _request.DryRun,
        Parameters = _parameters.Count == 0 ? null : _parameters,
        Harvested = result?.Harvested ?? 0,
        Duplicates = result?.Duplicates ?? 0,
        Stages = result?.Stages ?? [],
        Errors = result?.Errors.Select(e => $"{e.Stage}{(e.Source is null ? string.Empty : "/" + e.Source)}: {e.ErrorType}: {e.Message}").ToArray() ?? [],
    };
}
