using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Aicmo.Sdk.Diagnostics;

namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>The transport's instruments, on the pipeline's meter (<c>Aicmo.Pipeline</c>).</summary>
internal static class RabbitMqMetrics
{
    private static readonly ConcurrentDictionary<string, long> s_depths = new(StringComparer.Ordinal);

    public static Counter<long> Published { get; } =
        AicmoDiagnostics.Meter.CreateCounter<long>("aicmo.transport.published", "{batch}", "Batches published and confirmed by the broker, by stage.");

    public static Counter<long> Redeliveries { get; } =
        AicmoDiagnostics.Meter.CreateCounter<long>("aicmo.transport.redeliveries", "{batch}", "Batches the broker delivered again because an earlier delivery was never acknowledged, by stage.");

    public static Counter<long> Dropped { get; } =
        AicmoDiagnostics.Meter.CreateCounter<long>("aicmo.transport.dropped", "{batch}", "Deliveries dropped because the inbox had recorded their message as handled already, by stage.");

    public static Counter<long> Retried { get; } =
        AicmoDiagnostics.Meter.CreateCounter<long>("aicmo.transport.retried", "{batch}", "Batches whose stage failed and that were published again with their attempt count raised, by stage.");

    public static Counter<long> Parked { get; } =
        AicmoDiagnostics.Meter.CreateCounter<long>("aicmo.transport.parked", "{batch}", "Batches parked after their last attempt, by stage.");

    public static ObservableGauge<long> QueueDepth { get; } = AicmoDiagnostics.Meter.CreateObservableGauge(
        "aicmo.transport.queue.depth",
        () => s_depths.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("queue", d.Key))),
        "{batch}",
        "Ready batches in each of the transport's queues, as last sampled.");

    public static void RecordDepth(string queue, long depth) => s_depths[queue] = depth;
}
