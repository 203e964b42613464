using System.Globalization;

namespace Aicmo.Sdk.Csv.Import.Internal;

/// <summary>The <see cref="Domain.LeadCandidate.SourcePosition"/> of a CSV record: <c>line N</c>, the line it starts on.</summary>
internal static class SourcePositions
{
    private const string Prefix = "line ";

    public static string Format(int line) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{line}");

    /// <summary>Reads a position this source wrote.</summary>
    /// <param name="position">The position, or <see langword="null"/> to read from the start.</param>
    /// <returns>The line after which to continue (0 for the start).</returns>
    /// <exception cref="ArgumentException">The position is not one this source writes.</exception>
    public static int ParseResumeAfter(string? position)
    {
        if (position is null)
        {
            return 0;
        }

        if (position.StartsWith(Prefix, StringComparison.Ordinal) &&
            int.TryParse(position.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var line) && line >= 1)
        {
            return line;
        }

        throw new ArgumentException($"The resume position \"{position}\" is not a CSV position (\"line N\").", nameof(position));
    }
}
