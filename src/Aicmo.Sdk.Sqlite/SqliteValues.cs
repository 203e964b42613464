using System.Globalization;
using Aicmo.Sdk.Domain;
using Microsoft.Data.Sqlite;

namespace Aicmo.Sdk.Sqlite;

/// <summary>How values are stored: ids as lower-case text (sorts like <see cref="Guid.CompareTo(Guid)"/>), instants as UTC ticks.</summary>
internal static class SqliteValues
{
    public static string Id(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    public static long Ticks(DateTimeOffset at) => at.UtcTicks;

    public static object Ticks(DateTimeOffset? at) => at is { } value ? value.UtcTicks : DBNull.Value;

    public static object OrNull(string? value) => (object?)value ?? DBNull.Value;

    public static DateTimeOffset Instant(SqliteDataReader reader, int ordinal) => new(reader.GetInt64(ordinal), TimeSpan.Zero);

    public static DateTimeOffset? NullableInstant(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Instant(reader, ordinal);

    public static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static T Enum<T>(string value)
        where T : struct, Enum => System.Enum.Parse<T>(value, ignoreCase: false);

    /// <summary>The state's name, as <see cref="LeadStatus"/>.ToString() gives it, without boxing.</summary>
    public static string Name(LeadStatus status) =>
        (uint)status < (uint)StatusNames.Length && StatusNames[(int)status] is { } name ? name : status.ToString();

    private static readonly string?[] StatusNames = BuildStatusNames();

    private static string?[] BuildStatusNames()
    {
        var values = System.Enum.GetValues<LeadStatus>();
        var names = new string?[values.Max(v => (int)v) + 1];
        foreach (var value in values)
        {
            if ((int)value >= 0)
            {
                names[(int)value] = value.ToString();
            }
        }

        return names;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
