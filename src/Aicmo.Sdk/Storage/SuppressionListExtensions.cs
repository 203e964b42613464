using System.Globalization;

namespace Aicmo.Sdk.Storage;

/// <summary>Checks addresses against the suppression list in both forms it may hold them in.</summary>
public static class SuppressionListExtensions
{
    /// <summary>Finds the entry for an address, held as is or hashed after an erasure (plain SHA-256; see the overload with a hasher).</summary>
    /// <param name="suppression">The suppression list.</param>
    /// <param name="email">The address, in any case or spacing.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The entry, or <see langword="null"/> when the address may be mailed.</returns>
    public static ValueTask<SuppressionEntry?> FindAsync(this ISuppressionList suppression, string email, CancellationToken cancellationToken = default) =>
        FindAsync(suppression, email, SuppressionHasher.Unkeyed, cancellationToken);

    /// <summary>Finds the entry for an address, held as is or in any hashed form an erasure may have stored it under.</summary>
    /// <param name="suppression">The suppression list.</param>
    /// <param name="email">The address, in any case or spacing.</param>
    /// <param name="hasher">The hashed forms to check (<see cref="ErasureOptions.SuppressionHashKey"/>).</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The entry, or <see langword="null"/> when the address may be mailed.</returns>
    public static async ValueTask<SuppressionEntry?> FindAsync(this ISuppressionList suppression, string email, SuppressionHasher hasher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suppression);
        ArgumentNullException.ThrowIfNull(hasher);
        if (Identity.LeadIdentity.NormalizeEmail(email) is null)
        {
            return null;
        }

        if (await suppression.GetAsync(email, cancellationToken).ConfigureAwait(false) is { } plain)
        {
            return plain;
        }

        foreach (var hashed in hasher.Candidates(email))
        {
            if (await suppression.GetAsync(hashed, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                return entry;
            }
        }

        return null;
    }
}
