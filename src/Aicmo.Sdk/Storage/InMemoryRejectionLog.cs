namespace Aicmo.Sdk.Storage;

/// <summary>A thread-safe in-memory <see cref="IRejectionLog"/>.</summary>
public sealed class InMemoryRejectionLog : IRejectionLog
{
    private readonly Lock _gate = new();
    private readonly List<RejectedCandidate> _entries = [];

    /// <inheritdoc />
    public ValueTask AppendManyAsync(ReadOnlyMemory<RejectedCandidate> rejections, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var rejection in rejections.Span)
            {
                ArgumentNullException.ThrowIfNull(rejection);
                _entries.Add(rejection with { Id = _entries.Count + 1 });
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RejectedCandidate>> ListAsync(Guid runId, long afterId = 0, int take = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        lock (_gate)
        {
            IReadOnlyList<RejectedCandidate> page = _entries.Where(e => e.RunId == runId && e.Id > afterId).Take(take).ToList();
            return new(page);
        }
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(_entries.LongCount(e => e.RunId == runId));
        }
    }
}
