using Npgsql;
using NpgsqlTypes;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>Parameter and column helpers: instants are written in UTC (timestamptz keeps microseconds), documents as jsonb.</summary>
internal static class PostgreSqlValues
{
    public const string UniqueViolation = "23505";

    public const string DeadlockDetected = "40P01";

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, DateTimeOffset value)
    {
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>(name, NpgsqlDbType.TimestampTz) { TypedValue = value.ToUniversalTime() });
        return command;
    }

    public static NpgsqlCommand With(this NpgsqlCommand command, string name, DateTimeOffset? value) =>
        value is { } v ? command.With(name, v) : command.WithNull(name, NpgsqlDbType.TimestampTz);

    public static NpgsqlCommand WithText(this NpgsqlCommand command, string name, string? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });
        return command;
    }

    public static NpgsqlCommand WithJson(this NpgsqlCommand command, string name, string json)
    {
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = json });
        return command;
    }

    public static NpgsqlCommand WithArray<T>(this NpgsqlCommand command, string name, NpgsqlDbType elementType, T[] values)
    {
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | elementType) { Value = values });
        return command;
    }

    public static NpgsqlCommand WithNull(this NpgsqlCommand command, string name, NpgsqlDbType type)
    {
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = DBNull.Value });
        return command;
    }

    public static DateTimeOffset Instant(this NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static DateTimeOffset? NullableInstant(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static string? NullableString(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static T Enum<T>(string value)
        where T : struct, Enum => System.Enum.Parse<T>(value, ignoreCase: false);
}
