using System.Security.Cryptography;
using System.Text;

namespace Aicmo.Sdk.AspNetCore.Security;

/// <summary>An API key the API accepts: a name, the SHA-256 hash of the key (never the key itself) and its scopes.</summary>
/// <param name="Name">The caller's name, used for rate limiting and logs.</param>
/// <param name="KeyHash">The SHA-256 hash of the key, as lower-case hex (<see cref="Hash"/>).</param>
/// <param name="Scopes">What the key may do.</param>
public sealed record AicmoApiKey(string Name, string KeyHash, AicmoApiScopes Scopes)
{
    /// <summary>Creates a key entry from the plain key, keeping only its hash.</summary>
    /// <param name="name">The caller's name.</param>
    /// <param name="key">The plain key, as the caller sends it.</param>
    /// <param name="scopes">What the key may do.</param>
    /// <returns>The entry.</returns>
    public static AicmoApiKey FromPlainKey(string name, string key, AicmoApiScopes scopes) => new(name, Hash(key), scopes);

    /// <summary>Computes the hash stored for a key: SHA-256 of its UTF-8 bytes, as lower-case hex.</summary>
    /// <param name="key">The plain key.</param>
    /// <returns>The hash.</returns>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>Creates a random key of 32 bytes, URL-safe base64 (for development keys and provisioning scripts).</summary>
    /// <returns>The plain key.</returns>
    public static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
