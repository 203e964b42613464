using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// A run's transport across processes: candidates reach the dedup stage through a bounded channel in the process that
/// harvests, and every lead stage's input is a <see cref="StoredLeadBatchQueue"/> over an <see cref="ILeadBatchTransport"/>
/// queue: the leads are stored before their ids are published, and read back from the store where they are delivered.
/// </summary>
/// <remarks>
/// The run's origin (the process that started it) tracks every batch published to a stage until it is acknowledged, here or,
/// through a <see cref="LeadBatchReport"/>, in a process that joined the run; a process that joined (a participant) never
/// completes a stage, and reports each batch it worked on instead.
/// </remarks>
internal sealed class StoredLeadTransport : IStageTransport
{
    private readonly Lock _gate = new();
    private readonly HashSet<(int Slot, long Batch)> _reported = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int Slot, long Batch), List<LeadBatchHandOn>> _handOns = new();
    private readonly PipelineRuntime _runtime;
    private readonly ILeadBatchTransport _remote;
    private readonly Guid _runId;
    private readonly string _campaignId;
    private readonly StoredLeadBatchQueue[] _stages;
    private readonly CancellationTokenSource _stopping = new();
    private long _batches;

    private StoredLeadTransport(PipelineRuntime runtime, ILeadBatchTransport remote, Guid runId, string campaignId, Action<int, int> lostWrites, bool origin)
    {
        IsOrigin = origin;
        _runtime = runtime;
        _remote = remote;
        _runId = runId;
        _campaignId = campaignId;
        var options = runtime.Options;
        var batchSize = Math.Min(options.BatchSize, options.ChannelCapacity);
        Candidates = new ChannelBatchQueue<SourcedCandidate>(
            runId, 0, Math.Max(1, options.ChannelCapacity / batchSize), singleWriter: runtime.Sources.Count == 1,
            singleReader: options.ParallelismFor(StageNames.Dedup) == 1, NextBatch);
        var capacity = Math.Max(1, options.ChannelCapacity / batchSize);
        _stages = new StoredLeadBatchQueue[runtime.Registry.Count];
        for (var i = 0; i < _stages.Length; i++)
        {
            _stages[i] = new StoredLeadBatchQueue(this, runtime, i, runId, campaignId, capacity, lostWrites);
        }
    }

    public IBatchQueue<SourcedCandidate> Candidates { get; }

    /// <summary>Gets whether this process started the run (else it joined it).</summary>
    public bool IsOrigin { get; }

    /// <summary>Gets the transport's coordination of runs across processes, when it has one.</summary>
    public ILeadBatchRunCoordinator? Coordinator => _remote as ILeadBatchRunCoordinator;

    /// <summary>Gets whether a process that joined the run reported a batch to this one.</summary>
    public bool HadParticipants { get; private set; }

    /// <summary>Creates the transport of a run another process started, in a process that joined it.</summary>
    public static StoredLeadTransport ForParticipant(PipelineRuntime runtime, ILeadBatchTransport remote, Guid runId, string campaignId, Action<int, int> lostWrites) =>
        new(runtime, remote, runId, campaignId, lostWrites, origin: false);

    /// <summary>
    /// At the origin: starts tracking batch <paramref name="batchId"/> published to lead stage <paramref name="index"/>, unless it
    /// was acknowledged (reported) already. Returns whether it is tracked now.
    /// </summary>
    public bool Track(int index, long batchId, int count)
    {
        lock (_gate)
        {
            return !_reported.Contains((index + 1, batchId)) && _stages[index].Track(batchId, count);
        }
    }

    /// <summary>At the origin: a batch of lead stage <paramref name="index"/> was acknowledged here; false when it was before.</summary>
    public bool Settle(int index, long batchId)
    {
        lock (_gate)
        {
            var first = _reported.Add((index + 1, batchId));
            _stages[index].Settle(batchId);
            return first;
        }
    }

    /// <summary>
    /// At the origin: applies a report of a batch a process that joined the run worked on: the batches it handed on are tracked
    /// (before the reported batch is settled, so no stage can finish in between), then the batch is settled. Returns the lead
    /// stage's index, or -1 when the batch was reported before or names a stage this run does not have.
    /// </summary>
    public int Apply(LeadBatchReport report)
    {
        var index = _runtime.Registry.IndexOf(report.Stage);
        if (index < 0)
        {
            return -1;
        }

        lock (_gate)
        {
            if (!_reported.Add((index + 1, report.BatchId)))
            {
                return -1;
            }

            HadParticipants = true;
            foreach (var handOn in report.HandedOn)
            {
                var next = _runtime.Registry.IndexOf(handOn.Stage);
                if (next >= 0 && !_reported.Contains((next + 1, handOn.BatchId)))
                {
                    _stages[next].Track(handOn.BatchId, handOn.Count);
                }
            }

            _stages[index].Settle(report.BatchId);
        }

        return index;
    }

    /// <summary>In a participant: remembers a batch published while working on the delivered batch <paramref name="lineage"/> names.</summary>
    public void RecordHandOn(BatchLineage lineage, LeadBatchHandOn handOn)
    {
        var list = _handOns.GetOrAdd((lineage.Slot, lineage.Batch), static _ => []);
        lock (list)
        {
            list.Add(handOn);
        }
    }

    /// <summary>In a participant: takes the batches published while working on a delivered batch.</summary>
    public IReadOnlyList<LeadBatchHandOn> TakeHandOns(int slot, long batchId) =>
        _handOns.TryRemove((slot, batchId), out var list) ? list : [];

    public int StageCount => _stages.Length;

    public IBatchQueue<Lead> Stage(int stage) => _stages[stage];

    public int Depth(int slot) => slot == 0 ? Candidates.Depth : _stages[slot - 1].Depth;

    /// <summary>Numbers the run's batches.</summary>
    public long NextBatch() => Interlocked.Increment(ref _batches);

    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        var registry = _runtime.Registry;
        var queues = new ILeadBatchQueue[_stages.Length];
        for (var i = 0; i < _stages.Length; i++)
        {
            queues[i] = await _remote.OpenAsync(_runId, _campaignId, registry.Names[i], cancellationToken).ConfigureAwait(false);
        }

        for (var i = 0; i < _stages.Length; i++)
        {
            // Reading a batch's leads back from the store is I/O: a few readers per stage keep the stage's workers fed.
            _stages[i].Start(queues[i], Math.Max(2, _runtime.Options.ParallelismFor(registry.Names[i])), _stopping.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var stage in _stages)
        {
            await stage.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>Creates the transport of each run over one <see cref="ILeadBatchTransport"/>; dry runs stay in process.</summary>
    public sealed class Factory(ILeadBatchTransport remote) : IStageTransportFactory
    {
        public IStageTransport Create(PipelineRuntime runtime, Guid runId, string campaignId, Action<int, int> lostWrites) =>
            runtime.WritesNothing
                ? ChannelStageTransport.Factory.Instance.Create(runtime, runId, campaignId, lostWrites)
                : new StoredLeadTransport(runtime, remote, runId, campaignId, lostWrites, origin: true);
    }
}
