using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// The in-process transport, the default: a bounded channel in front of every stage, carrying whole batches. Leads travel in
/// batches, so each channel holds about <see cref="AicmoPipelineOptions.ChannelCapacity"/> leads in
/// <c>ChannelCapacity / BatchSize</c> batches.
/// </summary>
internal sealed class ChannelStageTransport : IStageTransport
{
    private readonly ChannelBatchQueue<Lead>[] _stages;
    private long _batches;

    public ChannelStageTransport(Guid runId, int sourceCount, IReadOnlyList<string> stageNames, AicmoPipelineOptions options)
    {
        var batchSize = Math.Min(options.BatchSize, options.ChannelCapacity);
        var capacity = Math.Max(1, options.ChannelCapacity / batchSize);
        Func<long> next = () => Interlocked.Increment(ref _batches);
        Candidates = new ChannelBatchQueue<SourcedCandidate>(
            runId, 0, capacity, singleWriter: sourceCount == 1, singleReader: options.ParallelismFor(StageNames.Dedup) == 1, next);
        _stages = new ChannelBatchQueue<Lead>[stageNames.Count];
        for (var i = 0; i < _stages.Length; i++)
        {
            _stages[i] = new ChannelBatchQueue<Lead>(
                runId, i + 1, capacity, singleWriter: false, singleReader: options.ParallelismFor(stageNames[i]) == 1, next);
        }
    }

    public IBatchQueue<SourcedCandidate> Candidates { get; }

    public int StageCount => _stages.Length;

    public IBatchQueue<Lead> Stage(int stage) => _stages[stage];

    public int Depth(int slot) => slot == 0 ? Candidates.Depth : _stages[slot - 1].Depth;

    public ValueTask StartAsync(CancellationToken cancellationToken) => default;

    public ValueTask DisposeAsync() => default;

    /// <summary>Creates the in-process transport of each run.</summary>
    public sealed class Factory : IStageTransportFactory
    {
        public static readonly Factory Instance = new();

        public IStageTransport Create(PipelineRuntime runtime, Guid runId, string campaignId, Action<int, int> lostWrites) =>
            new ChannelStageTransport(runId, runtime.Sources.Count, runtime.Registry.Names, runtime.Options);
    }
}
