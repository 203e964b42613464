using System.Text;
using RabbitMQ.Client;

namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>Reads header values as the client hands them over (AMQP strings arrive as UTF-8 byte arrays).</summary>
internal static class RabbitMqHeaders
{
    public static string? String(IReadOnlyBasicProperties properties, string name)
        => properties.Headers is { } headers && headers.TryGetValue(name, out var value) ? AsString(value) : null;

    public static long? Number(IReadOnlyBasicProperties properties, string name)
        => properties.Headers is { } headers && headers.TryGetValue(name, out var value) ? value switch
        {
            int i => i,
            long l => l,
            short s => s,
            byte b => b,
            _ => long.TryParse(AsString(value), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
        } : null;

    private static string? AsString(object? value) => value switch
    {
        null => null,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string s => s,
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}
