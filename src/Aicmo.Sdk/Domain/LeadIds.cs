using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Aicmo.Sdk.Domain;

/// <summary>
/// Creates lead ids: version 7 GUIDs (RFC 9562: Unix milliseconds, then 74 random bits), laid out exactly as
/// <see cref="Guid.CreateVersion7(DateTimeOffset)"/> lays them out.
/// </summary>
/// <remarks>
/// <see cref="Guid.CreateVersion7(DateTimeOffset)"/> asks the operating system for fresh random bytes on every call (a
/// <c>getrandom</c> system call on Linux), which cost as much as the rest of dedup together. Here the random bits still come
/// from the OS's cryptographic generator, so ids stay unguessable (they appear in unsubscribe links), but a per-thread buffer is
/// refilled 256 ids at a time. Used bytes are cleared.
/// </remarks>
internal static class LeadIds
{
    private const int RandomBytesPerId = 10;
    private const int IdsPerRefill = 256;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_next;

    public static Guid NewVersion7(DateTimeOffset timestamp)
    {
        var unixMs = timestamp.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(unixMs, nameof(timestamp));
        var buffer = t_random;
        var next = t_next;
        if (buffer is null || next == buffer.Length)
        {
            buffer ??= t_random = new byte[RandomBytesPerId * IdsPerRefill];
            RandomNumberGenerator.Fill(buffer);
            next = 0;
        }

        var r = buffer.AsSpan(next, RandomBytesPerId);
        t_next = next + RandomBytesPerId;

        // a and b: the 48-bit timestamp; c: version 7 and 12 random bits; d: variant 0b10 and 6 random bits; e to k: 56 random bits.
        var c = (short)((BinaryPrimitives.ReadUInt16LittleEndian(r) & 0x0FFF) | 0x7000);
        var d = (byte)((r[2] & 0x3F) | 0x80);
        var id = new Guid((int)(unixMs >> 16), (short)unixMs, c, d, r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
        r.Clear();
        return id;
    }
}
