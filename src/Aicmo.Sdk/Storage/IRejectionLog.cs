namespace Aicmo.Sdk.Storage;

/// <summary>Keeps the candidates rejected at intake, per run, so that a user can read and export them.</summary>
/// <remarks>Implementations must be thread-safe.</remarks>
public interface IRejectionLog
{
    /// <summary>Records rejected candidates, in order.</summary>
    /// <param name="rejections">The rejections.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when they are recorded.</returns>
    ValueTask AppendManyAsync(ReadOnlyMemory<RejectedCandidate> rejections, CancellationToken cancellationToken = default);

    /// <summary>Lists a run's rejections in the order they were recorded, a page at a time.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="afterId">The <see cref="RejectedCandidate.Id"/> of the last entry already read, or 0 to start.</param>
    /// <param name="take">The page size.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>One page; shorter than <paramref name="take"/> at the end.</returns>
    ValueTask<IReadOnlyList<RejectedCandidate>> ListAsync(Guid runId, long afterId = 0, int take = 100, CancellationToken cancellationToken = default);

    /// <summary>Counts a run's rejections.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The count.</returns>
    ValueTask<long> CountAsync(Guid runId, CancellationToken cancellationToken = default);
}
