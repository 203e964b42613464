using System.Globalization;

namespace Aicmo.Sdk.RabbitMQ.Tests.MultiProcess;

/// <summary>A run's result as the worker sample prints it: <c>done &lt;run&gt; status=… balanced=… harvested=… …</c>.</summary>
internal sealed record RunLine(Guid RunId, string Status, bool Balanced, long Harvested, long Duplicates, long Contacted, long Pending, long PossibleDuplicates)
{
    public static bool IsDone(string line) => line.StartsWith("done ", StringComparison.Ordinal);

    public static RunLine Parse(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = parts.Skip(2).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        long Number(string key) => long.Parse(values[key], CultureInfo.InvariantCulture);
        return new RunLine(
            Guid.Parse(parts[1]), values["status"], bool.Parse(values["balanced"]), Number("harvested"), Number("duplicates"),
            Number("contacted"), Number("pending"), Number("possible-duplicates"));
    }

    /// <summary>Reads the finished count of a <c>progress &lt;harvested&gt; &lt;finished&gt;</c> line, or null for other lines.</summary>
    public static long? Finished(string line)
    {
        var parts = line.Split(' ');
        return parts is ["progress", _, var finished] ? long.Parse(finished, CultureInfo.InvariantCulture) : null;
    }
}
