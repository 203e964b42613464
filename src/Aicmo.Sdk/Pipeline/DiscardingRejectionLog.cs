using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>The rejection log of a dry run (<see cref="PipelineRunRequest.DryRun"/>): rejections are counted in the run's result and stored nowhere.</summary>
internal sealed class DiscardingRejectionLog : IRejectionLog
{
    public static readonly DiscardingRejectionLog Instance = new();

    public ValueTask AppendManyAsync(ReadOnlyMemory<RejectedCandidate> rejections, CancellationToken cancellationToken = default) => default;

    public ValueTask<IReadOnlyList<RejectedCandidate>> ListAsync(Guid runId, long afterId = 0, int take = 100, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<RejectedCandidate>>([]);

    public ValueTask<long> CountAsync(Guid runId, CancellationToken cancellationToken = default) => ValueTask.FromResult(0L);
}
