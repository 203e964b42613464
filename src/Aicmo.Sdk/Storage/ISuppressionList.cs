using System.Globalization;

namespace Aicmo.Sdk.Storage;

/// <summary>Addresses that must not be mailed; checked at send time.</summary>
/// <remarks>Addresses are compared in their normalized form (<see cref="Identity.LeadIdentity.NormalizeEmail"/>).</remarks>
public interface ISuppressionList
{
    /// <summary>Adds or replaces an entry.</summary>
    /// <param name="entry">The entry; its address is normalized by the store.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when recorded.</returns>
    ValueTask AddAsync(SuppressionEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Gets the entry for an address.</summary>
    /// <param name="email">The address, in any case or spacing.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The entry, or <see langword="null"/> when the address may be mailed.</returns>
    ValueTask<SuppressionEntry?> GetAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>Removes an address (for example after a person subscribes again).</summary>
    /// <param name="email">The address.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when an entry was removed.</returns>
    ValueTask<bool> RemoveAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>Lists entries one page at a time, in ordinal order of the stored address (or hashed form, for erased people).</summary>
    /// <remarks>The default implementation throws <see cref="NotSupportedException"/>.</remarks>
    /// <param name="after">The stored address to continue after, or <see langword="null"/> for the first page.</param>
    /// <param name="take">The page size, at least 1.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>Up to <paramref name="take"/> entries whose stored address sorts after <paramref name="after"/>.</returns>
    ValueTask<IReadOnlyList<SuppressionEntry>> ListAsync(string? after = null, int take = 100, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not support listing.");
}
