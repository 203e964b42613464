using System.Diagnostics;
using Aicmo.Sdk.Diagnostics;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline.Transport;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// One run: its lifecycle (start, cancel, fail, end), and the parts that do the work, each the one owner of its concern. The
/// <see cref="Harvester"/> reads the sources into the dedup stage's queue; a <see cref="DedupLoop"/> and a <see cref="StageLoop"/>
/// per stage run the workers; the <see cref="LeadWriter"/> is the only writer of leads; <see cref="RunTakeover"/> and
/// <see cref="ResumeFeed"/> continue interrupted runs; the <see cref="RunReport"/> owns the counts and builds the result. The
/// batches move through the run's <see cref="IStageTransport"/>. Completion flows downstream (a stage's queue completes when
/// the stage before it has finished); faults and cancellation flow upstream through the run's tokens.
/// </summary>
internal sealed class ChannelPipelineRun : IPipelineRun, IQueueDepthSource
{
    private readonly PipelineRuntime _rt;
    private readonly PipelineRunRequest _request;
    private readonly CancellationTokenSource _runCts;
    private readonly CancellationTokenSource _processingCts;
    private readonly RunEventHub _events;
    private readonly IStageTransport _transport;
    private readonly RunReport _report;
    private readonly LeadWriter _writer;
    private readonly StageRunState[] _states;
    private readonly int _batchSize;
    private readonly bool _resume;
    private readonly BacklogPlan? _backlog;
    private readonly IReadOnlyDictionary<string, string> _parameters;
    private readonly Task<PipelineRunResult> _completion;
    private CancellationTokenRegistration _userRegistration;
    private Exception? _fatal;
    private volatile bool _ended;
    private volatile bool _leaseLost;
    private Task _resumeFeed = Task.CompletedTask;
    private OriginCoordination? _origin;
    private bool _tallied;

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
        _batchSize = Math.Min(options.BatchSize, options.ChannelCapacity);
        var stages = runtime.Registry;
        _transport = runtime.Transport.Create(runtime, RunId, CampaignId, CountLostWrites);
        _report = new RunReport(RunId, request, _parameters, backlog is not null, stages.Names, _transport.Depth, runtime.Time);
        _writer = new LeadWriter(runtime.Leads, runtime.Audit, _report, runtime.Time, runtime.Logger, RunId, () => _fatal is not null);
        _states = new StageRunState[stages.Count];
        for (var i = 0; i < _states.Length; i++)
        {
            var name = stages.Names[i];
            _states[i] = new StageRunState(
                NewContext(name),
                _report.Stages[i],
                OnQuarantined,
                options.ParallelismFor(name));
        }

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
        yield return (StageNames.Dedup, _transport.Depth(0));
        for (var i = 0; i < _states.Length; i++)
        {
            yield return (_report.Stages[i].Name, _transport.Depth(i + 1));
        }
    }

    public Guid RunId { get; }

    public string CampaignId { get; }

    /// <summary>Gets whether the run has started and not ended.</summary>
    public bool IsRunning => !_ended;

    public IAsyncEnumerable<PipelineEvent> Events => _events.SubscribeAsync();

    /// <summary>Gets the run's event hub (for erasure, which redacts the events it retains).</summary>
    internal RunEventHub EventHub => _events;

    public PipelineProgress Progress => _report.Progress();

    public Task<PipelineRunResult> Completion => _completion;

    public bool Annotate(RunAnnotation annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        if (annotation.RunId != RunId)
        {
            throw new ArgumentException($"The annotation is about run {annotation.RunId}, not this run ({RunId}).", nameof(annotation));
        }

        return _events.Annotate(annotation);
    }

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
            if (_origin is { } origin)
            {
                // Every process that joined the run stops taking its batches; what they hold goes back to the broker.
                _ = origin.AnnounceAsync(cancelled: true);
            }
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

        // For the queue-depth gauge only: nothing the run decides reads it.
        AicmoDiagnostics.ActiveRuns[RunId] = this;
        using var progressCts = new CancellationTokenSource();
        var progress = ProgressLoopAsync(progressCts.Token);
        try
        {
            await _rt.Campaigns.GetOrAddAsync(new Campaign { Id = CampaignId, CreatedAt = _report.StartedAt }, _runCts.Token).ConfigureAwait(false);
            await _rt.Runs.SaveAsync(_report.Record(PipelineRunStatus.Running, null), _runCts.Token).ConfigureAwait(false);
            var takeover = new RunTakeover(_rt.Runs, _rt.Live, _rt.Options, _rt.Time, _rt.Logger);
            var owned = await takeover.ClaimAsync(RunId, _request, _resume, _runCts.Token).ConfigureAwait(false);
            await _transport.StartAsync(_runCts.Token).ConfigureAwait(false);
            if (_transport is StoredLeadTransport { IsOrigin: true } stored)
            {
                // Batches other processes work on are reported here; the result is read from the store, which they share.
                _tallied = _backlog is null && !_resume && owned.Count == 1 && _request.Kind == PipelineRunKind.Full;
                if (stored.Coordinator is { } coordinator)
                {
                    var origin = new OriginCoordination(stored, coordinator, _report, OnQuarantined, _rt.Logger, RunId);
                    await origin.StartAsync(_runCts.Token).ConfigureAwait(false);
                    _origin = origin;
                }
            }

            if (_backlog is { } plan)
            {
                // A backlog run's leads come from the store instead of the sources (which it has none of).
                _resumeFeed = FeedBacklogAsync(plan);
            }
            else if ((_resume || owned.Count > 1) && _states.Length > 0)
            {
                // Streamed into the stages page by page while they run; the harvest waits for it (see HarvestAsync).
                _resumeFeed = FeedResumedAsync(owned);
            }

            var groups = new List<Task>(_states.Length + 3) { HarvestAsync(), DedupGroupAsync() };
            for (var i = 0; i < _states.Length; i++)
            {
                groups.Add(StageGroupAsync(i));
            }

            groups.Add(_resumeFeed);
            await Task.WhenAll(groups).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_runCts.IsCancellationRequested && _fatal is null)
        {
            // Cancelled before the first lead moved.
            _report.HarvestCutShort();
        }
        catch (Exception ex)
        {
            Fatal(ex, "run");
        }

        await DrainLeftoversAsync().ConfigureAwait(false);
        if (_origin is not null)
        {
            await _origin.AnnounceAsync(_runCts.IsCancellationRequested).ConfigureAwait(false);
        }

        try
        {
            if (_origin is not null)
            {
                await _origin.StopAsync().ConfigureAwait(false);
            }

            await _transport.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Fatal(ex, "transport");
        }

        AicmoDiagnostics.ActiveRuns.TryRemove(RunId, out _);
        progressCts.Cancel();
        await progress.ConfigureAwait(false);

        RunTally? tally = null;
        if (_tallied && _fatal is null)
        {
            try
            {
                tally = await RunTally.ReadAsync(_rt.Leads, CampaignId, RunId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                TransportLog.TallyFailed(_rt.Logger, RunId, ex);
            }
        }

        var result = _report.BuildResult(_runCts.IsCancellationRequested, _fatal is not null, tally);
        try
        {
            await _rt.Runs.SaveAsync(_report.Record(result.Status, result), CancellationToken.None).ConfigureAwait(false);
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

        var harvester = new Harvester(_rt.Sources, _transport.Candidates, _report, _rt.Logger, RunId, CampaignId, _request.MaxLeads, _batchSize, _parameters);

        // StageCompleted is published before the next stage can see the end of its input, so the events arrive in pipeline order.
        await harvester.RunAsync(_runCts.Token, _processingCts.Token, () =>
            _events.Publish(new StageCompleted(RunId, _rt.Time.GetUtcNow(), _report.Harvest.Snapshot(_report.StartTimestamp, 0)))).ConfigureAwait(false);
    }

    private async Task DedupGroupAsync()
    {
        var loop = new DedupLoop(
            _rt.Dedup,
            NewContext(StageNames.Dedup),
            _transport.Candidates,
            _states.Length > 0 ? _transport.Stage(0) : null,
            _writer,
            _report,
            _batchSize,
            Fatal);
        var workers = new Task[_rt.Options.ParallelismFor(StageNames.Dedup)];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = loop.WorkerAsync(_processingCts.Token);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        await StageDoneAsync(_report.Dedup, -1).ConfigureAwait(false);
    }

    private async Task StageGroupAsync(int index)
    {
        var state = _states[index];
        var loop = new StageLoop(
            _rt.Registry.Executors[index],
            state,
            _transport.Stage(index),
            index + 1 < _states.Length ? _transport.Stage(index + 1) : null,
            _writer,
            _report,
            _batchSize,
            Fatal,
            _rt.EndsEarly);
        var workers = new Task[_rt.Options.ParallelismFor(state.Context.StageName)];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = loop.WorkerAsync(_processingCts.Token);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        state.DisposeSpares();
        await StageDoneAsync(state.Counters, index).ConfigureAwait(false);
    }

    // A stage's workers have stopped: its completion is published, and the next stage's queue completes once the resume feed
    // (which also feeds leads into the middle of the pipeline) is done too.
    private async Task StageDoneAsync(StageCounters counters, int index)
    {
        Volatile.Write(ref counters.CompletedAt, Stopwatch.GetTimestamp());
        _events.Publish(new StageCompleted(RunId, _rt.Time.GetUtcNow(), counters.Snapshot(_report.StartTimestamp, _transport.Depth(index + 1))));
        var next = index + 1;
        if (next < _states.Length)
        {
            await _resumeFeed.ConfigureAwait(false);
            _transport.Stage(next).Complete();
        }
    }

    private async Task FeedResumedAsync(HashSet<Guid> owned)
    {
        try
        {
            var feed = new ResumeFeed(_rt.Leads, _writer, _rt.Registry, _transport, _report, RunId, _batchSize);
            await feed.RunAsync(owned, _processingCts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_processingCts.IsCancellationRequested)
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
            // The run's token, like the sources': a cancelled backlog takes no more stored leads, and ends Cancelled so that a
            // later resume (or the next backlog) takes the ones it did not reach.
            await feed.RunAsync(_resume, FeedAsync, (stage, count) =>
            {
                _report.CountResumed(count);
                _report.CountPending(_report.Stages[stage], count);
            }, _runCts.Token).ConfigureAwait(false);
            if (_runCts.IsCancellationRequested)
            {
                _report.HarvestCutShort();
            }
        }
        catch (Exception ex)
        {
            Fatal(ex, "backlog");
            throw;
        }
    }

    // Hands a batch the backlog feed read to a stage, counting its leads as taken (pending where they would have entered, when
    // the run stops first).
    private async ValueTask FeedAsync(int stage, Batch<Lead> batch, CancellationToken token)
    {
        var count = batch.Count;
        try
        {
            await _transport.Stage(stage).PublishAsync(batch, token).ConfigureAwait(false);
            _report.CountResumed(count);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _report.CountResumed(count);
            _report.CountPending(_report.Stages[stage], count);
            throw;
        }
    }

    // Leads a transport across processes could not store on their way into a stage: another writer changed them first.
    private void CountLostWrites(int stage, int count) => _report.CountPending(_report.Stages[stage], count);

    private void OnQuarantined(Lead lead, LeadFault fault) => OnQuarantined(lead.Id, fault);

    private void OnQuarantined(Guid leadId, LeadFault fault) =>
        _events.Publish(new LeadQuarantined(RunId, _rt.Time.GetUtcNow(), leadId, fault));

    private void Fatal(Exception ex, string stage)
    {
        if (Interlocked.CompareExchange(ref _fatal, ex, null) is null)
        {
            Log.FatalError(_rt.Logger, RunId, stage, ex);
            _report.AddError(new PipelineError(stage, null, ex.GetType().FullName ?? ex.GetType().Name, ex.Message));
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

    // Whatever is still queued when the workers stop is pending: harvested, not finished, resumable by a later run.
    private async Task DrainLeftoversAsync()
    {
        while (_transport.Candidates.TryTakeUnconsumed(out var candidates))
        {
            _report.CountPending(_report.Dedup, candidates.Count);
            _report.CountUnstored(candidates.Count);
        }

        for (var i = 0; i < _states.Length; i++)
        {
            while (_transport.Stage(i).TryTakeUnconsumed(out var batch))
            {
                _report.CountPending(_report.Stages[i], batch.Count);
                await _writer.CheckpointAsync(batch).ConfigureAwait(false);
            }

            // A transport across processes keeps what it was not asked for: stored, still queued, resumable.
            if (_transport.Stage(i) is StoredLeadBatchQueue remote && remote.Unconsumed > 0)
            {
                _report.CountPending(_report.Stages[i], remote.Unconsumed);
            }
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
                    await SaveHeartbeatAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // The run record is rewritten with the counts so far about once a second, so a dashboard (or whoever finds the run after
    // its process died) sees how far it got. The final record is written after this loop has stopped, so it is never overwritten.
    private async Task SaveHeartbeatAsync()
    {
        try
        {
            if (!await _rt.Runs.SaveAsync(_report.Heartbeat(), CancellationToken.None).ConfigureAwait(false) && !_leaseLost)
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
}
