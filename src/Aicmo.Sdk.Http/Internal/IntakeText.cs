using System.Buffers;
using System.Globalization;

namespace Aicmo.Sdk.Http.Internal;

/// <summary>
/// The intake policy for characters (the same as the CSV source's): C0 controls other than tab, CR and LF, and U+0085,
/// U+2028 and U+2029 are refused.
/// </summary>
internal static class IntakeText
{
    private static readonly SearchValues<char> Refused = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u0085\u2028\u2029");

    public static int IndexOfRefused(ReadOnlySpan<char> value) => value.IndexOfAny(Refused);

    public static string CodePoint(char c) => string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}");
}
