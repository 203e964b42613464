using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Aicmo.Sdk.AspNetCore.Webhooks;

/// <summary>
/// The signature of a call to <c>POST /webhooks/email-events</c>: the sender puts the Unix time in seconds in
/// <see cref="TimestampHeader"/> and <c>sha256=</c> followed by the lower-case hex HMAC-SHA256 of <c>{timestamp}.{raw body}</c>,
/// keyed with <see cref="AicmoApiOptions.EmailEventsSecret"/>, in <see cref="SignatureHeader"/>. A relay in front of a mail
/// provider signs with <see cref="Compute"/>.
/// </summary>
public static class AicmoWebhookSignature
{
    /// <summary>The header that carries the signature.</summary>
    public const string SignatureHeader = "X-Aicmo-Signature";

    /// <summary>The header that carries the Unix time (seconds) the call was signed at.</summary>
    public const string TimestampHeader = "X-Aicmo-Timestamp";

    /// <summary>The shortest secret accepted, in characters.</summary>
    public const int MinimumSecretLength = 32;

    private const string Prefix = "sha256=";

    /// <summary>Computes the value of <see cref="SignatureHeader"/> for a body.</summary>
    /// <param name="secret">The shared secret.</param>
    /// <param name="timestamp">The Unix time in seconds, as sent in <see cref="TimestampHeader"/>.</param>
    /// <param name="body">The raw body, byte for byte as sent.</param>
    /// <returns><c>sha256=</c> and the hex digest.</returns>
    public static string Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Span<byte> mac = stackalloc byte[32];
        Mac(Encoding.UTF8.GetBytes(secret), timestamp, body, mac);
        return Prefix + Convert.ToHexStringLower(mac);
    }

    /// <summary>Checks a signature in constant time.</summary>
    /// <param name="secret">The shared secret.</param>
    /// <param name="timestamp">The timestamp sent.</param>
    /// <param name="body">The raw body received.</param>
    /// <param name="signature">The value of <see cref="SignatureHeader"/> received.</param>
    /// <returns><see langword="true"/> when the signature is the body's.</returns>
    public static bool Verify(string secret, long timestamp, ReadOnlySpan<byte> body, string? signature)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (signature is null || signature.Length != Prefix.Length + 64 || !signature.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> presented = stackalloc byte[32];
        if (Convert.FromHexString(signature.AsSpan(Prefix.Length), presented, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        Mac(Encoding.UTF8.GetBytes(secret), timestamp, body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    private static void Mac(byte[] key, long timestamp, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "."));
        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }
}
