using System.Collections.Concurrent;

namespace Aicmo.Sdk.Storage;

/// <summary>A thread-safe in-memory <see cref="IMessageInbox"/>, for one process.</summary>
public sealed class InMemoryMessageInbox : IMessageInbox
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _handled = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<bool> TryRecordAsync(string messageId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        LimitChecks.ValidateMessageId(messageId);
        return new(_handled.TryAdd(messageId, at));
    }

    /// <inheritdoc />
    public ValueTask<bool> ContainsAsync(string messageId, CancellationToken cancellationToken = default)
    {
        LimitChecks.ValidateMessageId(messageId);
        return new(_handled.ContainsKey(messageId));
    }

    /// <inheritdoc />
    public ValueTask<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        long pruned = 0;
        foreach (var (id, at) in _handled)
        {
            // Removes the entry only when it still holds the instant read, so a concurrent record is never lost.
            if (at < before && _handled.TryRemove(new KeyValuePair<string, DateTimeOffset>(id, at)))
            {
                pruned++;
            }
        }

        return new(pruned);
    }
}
