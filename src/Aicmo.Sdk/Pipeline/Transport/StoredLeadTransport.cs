using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// A run's transport across processes: candidates reach the dedup stage through a bounded channel in the process that
/// harvests, and every lead stage's input is a <see cref="StoredLeadBatchQueue"/> over an <see cref="ILeadBatchTransport"/>
/// queue: the leads are stored before their ids are published, and read back from the store where they are delivered.
/// </summary>
internal sealed class StoredLeadTransport : IStageTransport
{
    private readonly PipelineRuntime _runtime;
    private readonly ILeadBatchTransport _remote;
    private readonly Guid _runId;
    private readonly string _campaignId;
    private readonly StoredLeadBatchQueue[] _stages;
    private readonly CancellationTokenSource _stopping = new();
    private long _batches;

    private StoredLeadTransport(PipelineRuntime runtime, ILeadBatchTransport remote, Guid runId, string campaignId, Action<int, int> lostWrites)
    {
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
                : new StoredLeadTransport(runtime, remote, runId, campaignId, lostWrites);
    }
}
