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
    private readonly Channel<SourcedCandidate> _candidates;
    private readonly Channel<Lead>[] _channels;
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
    private readonly bool _resume;
    private Task _resumeFeed = Task.CompletedTask;
    private long _resumed;

    public ChannelPipelineRun(PipelineRuntime runtime, PipelineRunRequest request, CancellationToken cancellationToken, bool resume = false)
    {
        _resume = resume;
        _rt = runtime;
        _request = request;
        RunId = request.RunId ?? Guid.CreateVersion7(runtime.Time.GetUtcNow());
        CampaignId = request.CampaignId;
        var options = runtime.Options;

        _runCts = new CancellationTokenSource();
        _processingCts = new CancellationTokenSource(Timeout.InfiniteTimeSpan, runtime.Time);
        _events = new RunEventHub(options.MaxRetainedQuarantineEvents);

        // Bounded channels give backpressure: a slow stage stalls the ones before it instead of buffering without limit.
        _candidates = Channel.CreateBounded<SourcedCandidate>(new BoundedChannelOptions(options.ChannelCapacity)
        {
            SingleWriter = runtime.Sources.Count == 1,
            SingleReader = options.ParallelismFor(StageNames.Dedup) == 1,
        });
        var count = runtime.Executors.Count;
        _channels = new Channel<Lead>[count];
        _stageCounters = new StageCounters[count];
        _states = new StageRunState[count];
        for (var i = 0; i < count; i++)
        {
            var name = runtime.Executors[i].Name;
            _channels[i] = Channel.CreateBounded<Lead>(new BoundedChannelOptions(options.ChannelCapacity)
            {
                SingleReader = options.ParallelismFor(name) == 1,
                SingleWriter = false,
            });
            _stageCounters[i] = new StageCounters(name);
            _states[i] = new StageRunState(
                new StageContext(RunId, CampaignId, name, runtime.Time, options.DryRun),
                _stageCounters[i],
                OnQuarantined);
        }

        _dedupContext = new StageContext(RunId, CampaignId, StageNames.Dedup, runtime.Time, options.DryRun);
        _startTimestamp = Stopwatch.GetTimestamp();
        _startedAt = runtime.Time.GetUtcNow();
        if (cancellationToken.CanBeCanceled)
        {
            _userRegistration = cancellationToken.Register(static s => ((ChannelPipelineRun)s!).Cancel(), this);
        }

        _completion = Task.Run(ExecuteAsync);
    }

    IEnumerable<(string Stage, int Depth)> IQueueDepthSource.QueueDepths()
    {
        yield return (StageNames.Dedup, _candidates.Reader.Count);
        for (var i = 0; i < _channels.Length; i++)
        {
            yield return (_stageCounters[i].Name, _channels[i].Reader.Count);
        }
    }

    public Guid RunId { get; }

    public string CampaignId { get; }

    public IAsyncEnumerable<PipelineEvent> Events => _events.SubscribeAsync();

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
            if (_resume || owned.Count > 1)
            {
                // Loaded before any worker starts, so the pages are a consistent picture of what the interrupted runs left.
                var pending = await LoadUnfinishedAsync(owned, _runCts.Token).ConfigureAwait(false);
                _resumeFeed = FeedResumedAsync(pending);
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
        var writer = _candidates.Writer;
        var max = _request.MaxLeads;
        var sourceTag = new KeyValuePair<string, object?>("source", source.Name);
        var counters = _harvest.AddWorker();
        try
        {
            var context = new LeadSourceContext(RunId, CampaignId, max);
            await foreach (var candidate in source.ReadAsync(context, token).WithCancellation(token).ConfigureAwait(false))
            {
                if (candidate is null)
                {
                    throw new InvalidOperationException($"Lead source '{source.Name}' yielded a null candidate.");
                }

                if (max is { } limit && Interlocked.Increment(ref _taken) > limit)
                {
                    break;
                }

                await writer.WriteAsync(new SourcedCandidate(candidate, source.Name), token).ConfigureAwait(false);
                WorkerCounters.Increment(ref counters.In);
                WorkerCounters.Increment(ref counters.Out);
                if (AicmoDiagnostics.Harvested.Enabled)
                {
                    AicmoDiagnostics.Harvested.Add(1, sourceTag);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _harvestCutShort = true;
        }
        catch (Exception ex)
        {
            // A failing source ends itself only; the others and the leads already harvested go on.
            _harvest.Failed = true;
            Log.SourceFailed(_rt.Logger, source.Name, RunId, ex);
            lock (_errors)
            {
                _errors.Add(new PipelineError(StageNames.Harvest, source.Name, ex.GetType().FullName ?? ex.GetType().Name, ex.Message));
            }
        }
    }

    private async Task RunGroupAsync(int workers, StageCounters counters, int stageIndex)
    {
        var tasks = new Task[workers];
        for (var w = 0; w < workers; w++)
        {
            tasks[w] = stageIndex < 0 ? DedupWorkerAsync() : StageWorkerAsync(stageIndex);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        Volatile.Write(ref counters.CompletedAt, Stopwatch.GetTimestamp());
        var depth = stageIndex < 0 ? _candidates.Reader.Count : _channels[stageIndex].Reader.Count;
        _events.Publish(new StageCompleted(RunId, _rt.Time.GetUtcNow(), counters.Snapshot(_startTimestamp, depth)));
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
        var writer = _channels.Length > 0 ? _channels[0].Writer : null;
        var token = _processingCts.Token;
        var counters = _dedup.AddWorker();
        var inHand = false;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    inHand = true;
                    var lead = await _rt.Dedup.ExecuteAsync(item.Candidate, item.Source, _dedupContext, counters).ConfigureAwait(false);
                    if (lead is not null)
                    {
                        if (lead.Status != LeadStatus.New || writer is null)
                        {
                            await FinishAsync(lead, counters).ConfigureAwait(false);
                        }
                        else
                        {
                            await writer.WriteAsync(lead, token).ConfigureAwait(false);
                            WorkerCounters.Increment(ref counters.Out);
                        }
                    }

                    inHand = false;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            if (inHand)
            {
                // Interrupted while handing the lead on.
                Interlocked.Increment(ref _dedup.Pending);
            }
        }
        catch (Exception ex)
        {
            if (inHand)
            {
                Interlocked.Increment(ref _dedup.Pending);
            }

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
        var writer = index + 1 < _channels.Length ? _channels[index + 1].Writer : null;
        var token = _processingCts.Token;
        using var worker = state.CreateWorker();
        var counters = worker.Counters;
        Lead? current = null;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (reader.TryRead(out current))
                {
                    var disposition = await executor.ExecuteAsync(current, state, worker, token).ConfigureAwait(false);
                    switch (disposition)
                    {
                        case LeadDisposition.Continue when writer is not null:
                            await writer.WriteAsync(current, token).ConfigureAwait(false);
                            WorkerCounters.Increment(ref counters.Out);
                            break;
                        case LeadDisposition.Continue:
                            await executor.EnsureOutcomeAsync(current, state).ConfigureAwait(false);
                            await FinishAsync(current, counters).ConfigureAwait(false);
                            break;
                        case LeadDisposition.Finished:
                            await FinishAsync(current, counters).ConfigureAwait(false);
                            break;
                        case LeadDisposition.Pending:
                            await CheckpointAsync(current).ConfigureAwait(false);
                            break;
                    }

                    current = null;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            if (current is not null)
            {
                // Interrupted while handing the lead on.
                Interlocked.Increment(ref state.Counters.Pending);
                await CheckpointAsync(current).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            if (current is not null)
            {
                Interlocked.Increment(ref state.Counters.Pending);
            }

            state.Counters.Failed = true;
            Fatal(ex, executor.Name);
        }
    }

    private async ValueTask FinishAsync(Lead lead, WorkerCounters counters)
    {
        if (!await _rt.Leads.UpdateAsync(lead, lead.StoredVersion, CancellationToken.None).ConfigureAwait(false))
        {
            Log.UpdateConflict(_rt.Logger, lead.Id, RunId);
        }
        else
        {
            lead.StoredVersion = lead.Version;
        }

        counters.CountOutcome(lead.Status);
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
        while (_candidates.Reader.TryRead(out _))
        {
            Interlocked.Increment(ref _dedup.Pending);
        }

        for (var i = 0; i < _channels.Length; i++)
        {
            while (_channels[i].Reader.TryRead(out var lead))
            {
                Interlocked.Increment(ref _stageCounters[i].Pending);
                await CheckpointAsync(lead).ConfigureAwait(false);
            }
        }
    }

    // Stores the state a pending lead reached, so a later run continues from there. Best effort: the run is already ending.
    private async ValueTask CheckpointAsync(Lead lead)
    {
        if (_fatal is not null || lead.Version == lead.StoredVersion)
        {
            return;
        }

        try
        {
            if (await _rt.Leads.UpdateAsync(lead, lead.StoredVersion, CancellationToken.None).ConfigureAwait(false))
            {
                lead.StoredVersion = lead.Version;
            }
        }
        catch (Exception ex)
        {
            Log.CheckpointFailed(_rt.Logger, lead.Id, RunId, ex);
        }
    }

    private static readonly LeadStatus[] UnfinishedStates = [LeadStatus.New, LeadStatus.Enriched, LeadStatus.Scored, LeadStatus.Qualified, LeadStatus.Routed];

    // The runs whose unfinished leads this run continues: itself (a resumed run), the campaign's interrupted runs when
    // ResumeInterruptedRuns is on, and every run those had taken over in turn. Interrupted runs are marked taken over first,
    // so the next run of the campaign does not take them again.
    private async Task<HashSet<Guid>> ClaimInterruptedRunsAsync(CancellationToken cancellationToken)
    {
        var owned = new HashSet<Guid> { RunId };
        var options = _rt.Options;
        if (!_resume && !options.ResumeInterruptedRuns)
        {
            return owned;
        }

        var runs = await _rt.Runs.ListAsync(CampaignId, cancellationToken).ConfigureAwait(false);
        var now = _rt.Time.GetUtcNow();
        if (options.ResumeInterruptedRuns)
        {
            foreach (var run in runs)
            {
                var interrupted = run.RunId != RunId && run.TakenOverBy is null && !AicmoDiagnostics.ActiveRuns.ContainsKey(run.RunId) &&
                    (run.Status is PipelineRunStatus.Cancelled or PipelineRunStatus.Failed ||
                     (run.Status == PipelineRunStatus.Running && now - (run.UpdatedAt ?? run.StartedAt) > options.InterruptedRunTimeout));
                if (interrupted)
                {
                    await _rt.Runs.SaveAsync(run with { TakenOverBy = RunId, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
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

    // The leads of the owned runs stored in a state no outcome is, each with the index of the stage that comes next for it.
    private async Task<List<(Lead Lead, int Stage)>> LoadUnfinishedAsync(HashSet<Guid> owned, CancellationToken cancellationToken)
    {
        const int Page = 1000;
        var unfinished = new List<(Lead, int)>();
        foreach (var status in UnfinishedStates)
        {
            var stage = ResumeStageFor(status);
            for (var skip = 0; ; skip += Page)
            {
                var page = await _rt.Leads.QueryAsync(new LeadQuery { CampaignId = CampaignId, Status = status, Skip = skip, Take = Page }, cancellationToken)
                    .ConfigureAwait(false);
                foreach (var lead in page)
                {
                    // A routed lead that went through nurture ended there (dry run): it is an outcome, not a pending lead.
                    if (!owned.Contains(lead.RunId) || stage < 0 || (status == LeadStatus.Routed && lead.Nurture is not null))
                    {
                        continue;
                    }

                    // This run answers for the lead from now on; the change is stored with the lead's next checkpoint.
                    lead.RunId = RunId;

                    lead.StoredVersion = lead.Version;
                    await _rt.Dedup.EnsureCreationRecordedAsync(lead, cancellationToken).ConfigureAwait(false);
                    unfinished.Add((lead, stage));
                }

                if (page.Count < Page)
                {
                    break;
                }
            }
        }

        return unfinished;
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

    private async Task FeedResumedAsync(List<(Lead Lead, int Stage)> unfinished)
    {
        await Task.Yield();
        var token = _processingCts.Token;
        var fed = 0;
        try
        {
            for (; fed < unfinished.Count; fed++)
            {
                var (lead, stage) = unfinished[fed];
                await _channels[stage].Writer.WriteAsync(lead, token).ConfigureAwait(false);
                Interlocked.Increment(ref _resumed);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Not fed: still stored as they were, so still resumable; counted as pending where they would have entered.
            for (; fed < unfinished.Count; fed++)
            {
                Interlocked.Increment(ref _resumed);
                Interlocked.Increment(ref _stageCounters[unfinished[fed].Stage].Pending);
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
            await _rt.Runs.SaveAsync(record, CancellationToken.None).ConfigureAwait(false);
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
            _dedup.Snapshot(_startTimestamp, _candidates.Reader.Count),
        };
        for (var i = 0; i < _stageCounters.Length; i++)
        {
            list.Add(_stageCounters[i].Snapshot(_startTimestamp, _channels[i].Reader.Count));
        }

        return list;
    }

    private PipelineRunResult BuildResult()
    {
        var stages = Snapshot();
        long disqualified = 0, review = 0, routed = 0, contacted = 0, suppressed = 0, quarantined = 0, pending = 0;
        foreach (var s in stages)
        {
            disqualified += s.Disqualified;
            review += s.ManualReview;
            routed += s.Routed;
            contacted += s.Contacted;
            suppressed += s.Suppressed;
            quarantined += s.Quarantined;
            pending += s.Pending;
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
            StartedAt = _startedAt,
            CompletedAt = _rt.Time.GetUtcNow(),
            Duration = Stopwatch.GetElapsedTime(_startTimestamp),
            Harvested = stages[0].Out,
            Duplicates = stages[1].Duplicates,
            Disqualified = disqualified,
            ManualReview = review,
            Routed = routed,
            Contacted = contacted,
            Suppressed = suppressed,
            Quarantined = quarantined,
            Pending = pending,
            Resumed = Volatile.Read(ref _resumed),
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
        Harvested = result?.Harvested ?? 0,
        Duplicates = result?.Duplicates ?? 0,
        Stages = result?.Stages ?? [],
        Errors = result?.Errors.Select(e => $"{e.Stage}{(e.Source is null ? string.Empty : "/" + e.Source)}: {e.ErrorType}: {e.Message}").ToArray() ?? [],
    };

    private readonly record struct SourcedCandidate(LeadCandidate Candidate, string Source);
}
