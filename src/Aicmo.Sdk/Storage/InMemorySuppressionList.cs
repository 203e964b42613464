using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;

namespace Aicmo.Sdk.Storage;

/// <summary>A thread-safe in-memory <see cref="ISuppressionList"/>.</summary>
public sealed class InMemorySuppressionList : ISuppressionList
{
    private readonly ConcurrentDictionary<string, SuppressionEntry> _entries = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask AddAsync(SuppressionEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var key = LeadIdentity.NormalizeEmail(entry.Email) ?? throw new ArgumentException("The address is empty.", nameof(entry));
        _entries[key] = entry with { Email = key };
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<SuppressionEntry?> GetAsync(string email, CancellationToken cancellationToken = default)
    {
        var key = LeadIdentity.NormalizeEmail(email);
        return new(key is not null && _entries.TryGetValue(key, out var e) ? e : null);
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string email, CancellationToken cancellationToken = default)
    {
        var key = LeadIdentity.NormalizeEmail(email);
        return new(key is not null && _entries.TryRemove(key, out _));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SuppressionEntry>> ListAsync(string? after = null, int take = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        IReadOnlyList<SuppressionEntry> page = [.. _entries.Values
            .Where(e => after is null || string.CompareOrdinal(e.Email, after) > 0)
            .OrderBy(e => e.Email, StringComparer.Ordinal)
            .Take(take)];
        return new(page);
    }
}
