using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Aicmo.Sdk.Identity;

/// <summary>
/// The one-way form an address is kept in after its owner's data is erased: <c>sha256:</c> and the hex SHA-256 of the
/// normalized address. The suppression list holds it so the address is never mailed again, without holding the address.
/// </summary>
public static class EmailHash
{
    /// <summary>The prefix of a hashed address.</summary>
    public const string Prefix = "sha256:";

    /// <summary>The prefix of an address hashed with a secret key.</summary>
    public const string KeyedPrefix = "hmac-sha256:";

    /// <summary>
    /// Hashes an address after normalizing it, keyed with a secret (HMAC-SHA256), so that the hash cannot be reversed by
    /// hashing a list of known addresses without the key.
    /// </summary>
    /// <param name="email">The address, in any case or spacing.</param>
    /// <param name="key">The secret.</param>
    /// <returns><c>hmac-sha256:</c> and the lower-case hex digest, or <see langword="null"/> when the address is empty.</returns>
    public static string? ComputeKeyed(string? email, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var normalized = LeadIdentity.NormalizeEmail(email);
        if (normalized is null)
        {
            return null;
        }

        var digest = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(normalized));
        return KeyedPrefix + Convert.ToHexStringLower(digest);
    }

    /// <summary>Hashes an address after normalizing it (<see cref="LeadIdentity.NormalizeEmail"/>).</summary>
    /// <param name="email">The address, in any case or spacing.</param>
    /// <returns>The hashed form, or <see langword="null"/> when the address is empty.</returns>
    public static string? Compute(string? email)
    {
        var normalized = LeadIdentity.NormalizeEmail(email);
        return normalized is null ? null : Hash(normalized);
    }

    /// <summary>Hashes any text as is (for example an identity key).</summary>
    /// <param name="value">The text.</param>
    /// <returns><c>sha256:</c> and the lower-case hex digest of its UTF-8 bytes.</returns>
    public static string Hash(string value)
    {
        ArgumentNullException.ThrowIfNull(value);

        // The bytes and the digest on the stack (or in a pooled buffer for very long text): the result is the only string made.
        // The suppression list checks every address it is asked about in this form, so every send computes one.
        const int StackBytes = 512;
        var maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = maxBytes > StackBytes ? ArrayPool<byte>.Shared.Rent(maxBytes) : null;
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        try
        {
            var bytes = rented is null ? stackalloc byte[StackBytes] : rented.AsSpan();
            var length = Encoding.UTF8.GetBytes(value, bytes);
            SHA256.HashData(bytes[..length], digest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        Span<char> text = stackalloc char[Prefix.Length + (SHA256.HashSizeInBytes * 2)];
        Prefix.CopyTo(text);
        Convert.TryToHexStringLower(digest, text[Prefix.Length..], out _);
        return new string(text);
    }
}
