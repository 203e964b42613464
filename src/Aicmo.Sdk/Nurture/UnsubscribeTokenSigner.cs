using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Aicmo.Sdk.Nurture;

/// <summary>
/// Signs and checks the unsubscribe tokens carried by the <c>{Token}</c> placeholder of
/// <see cref="EmailNurturerOptions.UnsubscribeUrlTemplate"/>: the lead id, its campaign and an expiry, with an HMAC-SHA256 keyed by
/// <see cref="EmailNurturerOptions.UnsubscribeTokenSecret"/>, in URL-safe base64. A token cannot be guessed from a lead id, and a
/// changed byte, an expired token or one signed with another secret is refused. The nurture stage and the HTTP API's one-click
/// unsubscribe endpoint share it.
/// </summary>
public sealed class UnsubscribeTokenSigner
{
    /// <summary>The shortest secret accepted, in characters.</summary>
    public const int MinimumSecretLength = 32;

    /// <summary>The longest token <see cref="Verify"/> looks at, in characters; a longer one is refused without being decoded.</summary>
    public const int MaxTokenLength = 512;

    private const byte Version = 1;
    private const int MacLength = 32;
    private const int MaxCampaignIdBytes = 255;
    private static readonly System.Buffers.SearchValues<char> UrlSafe =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("aicmo-unsubscribe-v1\n");

    private readonly byte[]? _key;

    /// <summary>Gets a random secret made once per process, for the default unsubscribe link when no secret is configured.</summary>
    internal static string ProcessSecret { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly byte[][] _previousKeys;

    // Every contacted lead's message carries a token: each thread keeps one HMAC keyed with the secret, reset by each token it
    // signs. Keying an HMAC (a native context) per token cost about 1.3 µs, three times the rest of rendering a message
    // (EngineBenchmarks, "EmailNurturer render"; FullPipelineBenchmarks-regression.md).
    private readonly ThreadLocal<IncrementalHash>? _signing;

    /// <summary>Initializes a new instance of the <see cref="UnsubscribeTokenSigner"/> class.</summary>
    /// <param name="secret">The secret, at least <see cref="MinimumSecretLength"/> characters; <see langword="null"/> for a signer that signs nothing and refuses every token.</param>
    /// <param name="previousSecrets">Secrets used before, still accepted when checking (for rotation).</param>
    /// <exception cref="ArgumentException">A secret is shorter than <see cref="MinimumSecretLength"/>.</exception>
    public UnsubscribeTokenSigner(string? secret, IEnumerable<string>? previousSecrets = null)
    {
        _key = secret is null ? null : Key(secret, nameof(secret));
        _previousKeys = [.. (previousSecrets ?? []).Select(s => Key(s, nameof(previousSecrets)))];
        if (_key is { } key)
        {
            _signing = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));
        }
    }

    /// <summary>Gets whether a secret is configured; without one, <see cref="Create"/> throws and <see cref="Verify"/> refuses every token.</summary>
    public bool IsConfigured => _key is not null;

    /// <summary>Creates the token of a lead.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="campaignId">The lead's campaign (at most 255 UTF-8 bytes).</param>
    /// <param name="expiresAt">When the token stops being accepted.</param>
    /// <returns>The token, URL-safe base64 with no padding.</returns>
    /// <exception cref="InvalidOperationException">No secret is configured.</exception>
    public string Create(Guid leadId, string campaignId, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        var signing = _signing ?? throw new InvalidOperationException(
            $"No unsubscribe token secret is configured; set {nameof(EmailNurturerOptions)}.{nameof(EmailNurturerOptions.UnsubscribeTokenSecret)}.");
        var campaignLength = Encoding.UTF8.GetByteCount(campaignId);
        if (campaignLength > MaxCampaignIdBytes)
        {
            throw new ArgumentException($"The campaign id is longer than {MaxCampaignIdBytes} UTF-8 bytes.", nameof(campaignId));
        }

        var payloadLength = 1 + 16 + 8 + 1 + campaignLength;
        Span<byte> buffer = stackalloc byte[payloadLength + MacLength];
        buffer[0] = Version;
        leadId.TryWriteBytes(buffer.Slice(1, 16));
        BinaryPrimitives.WriteInt64BigEndian(buffer.Slice(17, 8), expiresAt.ToUnixTimeSeconds());
        buffer[25] = (byte)campaignLength;
        Encoding.UTF8.GetBytes(campaignId, buffer.Slice(26, campaignLength));
        var hmac = signing.Value!;
        hmac.AppendData(Purpose);
        hmac.AppendData(buffer[..payloadLength]);
        hmac.GetHashAndReset(buffer[payloadLength..]);
        return Base64Url.EncodeToString(buffer);
    }

    /// <summary>Checks a token and reads what it was signed for.</summary>
    /// <param name="token">The token, as it came in the link.</param>
    /// <param name="now">The current time, to refuse an expired token.</param>
    /// <param name="payload">What the token was signed for, when it is valid.</param>
    /// <returns>Whether the token is valid, expired, or not a token signed with a known secret.</returns>
    public UnsubscribeTokenStatus Verify(string? token, DateTimeOffset now, out UnsubscribeTokenPayload? payload)
    {
        payload = null;
        // Only the URL-safe alphabet: the decoder would skip white space and throw on other characters.
        if (_key is null || string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || token.AsSpan().ContainsAnyExcept(UrlSafe))
        {
            return UnsubscribeTokenStatus.Invalid;
        }

        Span<byte> buffer = stackalloc byte[Base64Url.GetMaxDecodedLength(token.Length)];
        if (!Base64Url.TryDecodeFromChars(token, buffer, out var length))
        {
            return UnsubscribeTokenStatus.Invalid;
        }

        var bytes = buffer[..length];
        if (length < 1 + 16 + 8 + 1 + MacLength || bytes[0] != Version || length != 1 + 16 + 8 + 1 + bytes[25] + MacLength)
        {
            return UnsubscribeTokenStatus.Invalid;
        }

        var signed = bytes[..(length - MacLength)];
        var mac = bytes[(length - MacLength)..];
        Span<byte> expected = stackalloc byte[MacLength];
        var matched = false;
        foreach (var key in _previousKeys.Prepend(_key))
        {
            Mac(key, signed, expected);
            matched |= CryptographicOperations.FixedTimeEquals(expected, mac);
        }

        if (!matched)
        {
            return UnsubscribeTokenStatus.Invalid;
        }

        string campaignId;
        try
        {
            campaignId = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.Slice(26, bytes[25]));
        }
        catch (DecoderFallbackException)
        {
            return UnsubscribeTokenStatus.Invalid;
        }

        var seconds = BinaryPrimitives.ReadInt64BigEndian(bytes.Slice(17, 8));
        if (seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return UnsubscribeTokenStatus.Invalid;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        payload = new UnsubscribeTokenPayload(new Guid(bytes.Slice(1, 16)), campaignId, expiresAt);
        return expiresAt <= now ? UnsubscribeTokenStatus.Expired : UnsubscribeTokenStatus.Valid;
    }

    private static byte[] Key(string secret, string parameter)
    {
        ArgumentNullException.ThrowIfNull(secret, parameter);
        if (secret.Length < MinimumSecretLength)
        {
            throw new ArgumentException($"An unsubscribe token secret must be at least {MinimumSecretLength} characters long.", parameter);
        }

        return Encoding.UTF8.GetBytes(secret);
    }

    private static void Mac(byte[] key, ReadOnlySpan<byte> signed, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Purpose);
        hmac.AppendData(signed);
        hmac.GetHashAndReset(destination);
    }
}
