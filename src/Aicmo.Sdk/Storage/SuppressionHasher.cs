using Aicmo.Sdk.Identity;

namespace Aicmo.Sdk.Storage;

/// <summary>
/// The forms an erased address is kept under in the suppression list: keyed with <see cref="ErasureOptions.SuppressionHashKey"/>
/// when the host configured one (HMAC-SHA256), else plain SHA-256. Look-ups check every form an address may have been stored in.
/// </summary>
public sealed class SuppressionHasher
{
    private readonly string? _key;
    private readonly string[] _previousKeys;

    /// <summary>Initializes a new instance of the <see cref="SuppressionHasher"/> class.</summary>
    /// <param name="options">The erasure options.</param>
    public SuppressionHasher(ErasureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = options.SuppressionHashKey;
        _previousKeys = [.. options.PreviousSuppressionHashKeys];
    }

    /// <summary>Gets a hasher without a key (plain SHA-256).</summary>
    public static SuppressionHasher Unkeyed { get; } = new(new ErasureOptions());

    /// <summary>Gets whether a secret keys the hash.</summary>
    public bool IsKeyed => _key is not null;

    /// <summary>Hashes an address into the form an erasure stores.</summary>
    /// <param name="email">The address.</param>
    /// <returns>The hashed form, or <see langword="null"/> for an empty address.</returns>
    public string? Hash(string? email) => _key is null ? EmailHash.Compute(email) : EmailHash.ComputeKeyed(email, _key);

    /// <summary>Lists every hashed form an address may be stored under: the current one, those of previous keys, and plain SHA-256.</summary>
    /// <param name="email">The address.</param>
    /// <returns>The forms, the current one first; empty for an empty address.</returns>
    public IEnumerable<string> Candidates(string? email)
    {
        if (LeadIdentity.NormalizeEmail(email) is null)
        {
            yield break;
        }

        if (_key is not null)
        {
            yield return EmailHash.ComputeKeyed(email, _key)!;
        }

        foreach (var key in _previousKeys)
        {
            yield return EmailHash.ComputeKeyed(email, key)!;
        }

        yield return EmailHash.Compute(email)!;
    }
}
