using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Aicmo.Sdk.Diagnostics;

/// <summary>
/// The <see cref="System.Diagnostics.Metrics.Meter"/> and <see cref="System.Diagnostics.ActivitySource"/> of the pipeline, both
/// named <c>Aicmo.Pipeline</c>. OpenTelemetry collects them with <c>AddMeter("Aicmo.Pipeline")</c> and
/// <c>AddSource("Aicmo.Pipeline")</c>.
/// </summary>
public static class AicmoDiagnostics
{
    /// <summary>The name of the meter and the activity source.</summary>
    public const string Name = "Aicmo.Pipeline";

    /// <summary>Gets the activity source: one activity per run, and one per stage execution when someone listens.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, typeof(AicmoDiagnostics).Assembly.GetName().Version?.ToString());

    /// <summary>Gets the meter.</summary>
    public static Meter Meter { get; } = new(Name, typeof(AicmoDiagnostics).Assembly.GetName().Version?.ToString());

    internal static Counter<long> LeadsProcessed { get; } =
        Meter.CreateCounter<long>("aicmo.pipeline.leads.processed", "{lead}", "Leads that left a stage, by stage and outcome.");

    internal static Histogram<double> StageDuration { get; } =
        Meter.CreateHistogram<double>("aicmo.pipeline.stage.duration", "s", "Time one stage took for one lead, retries included.");

    internal static Counter<long> Retries { get; } =
        Meter.CreateCounter<long>("aicmo.pipeline.retries", "{retry}", "Retried stage attempts, by stage.");

    internal static Counter<long> Quarantines { get; } =
        Meter.CreateCounter<long>("aicmo.pipeline.quarantines", "{lead}", "Leads quarantined, by stage.");

    internal static Counter<long> Sends { get; } =
        Meter.CreateCounter<long>("aicmo.pipeline.sends", "{email}", "Nurture sends, by outcome.");

    internal static Counter<long> PossibleDuplicateSends { get; } =
        Meter.CreateCounter<long>("aicmo.pipeline.sends.possible_duplicates", "{email}", "Steps sent again after a claim expired unconfirmed: the earlier attempt may have reached the transport.");

    internal static Counter<long> Harvested { get; } =
        Meter.CreateCounter<long>("aicmo.pipeline.harvested", "{lead}", "Candidates read from sources, by source.");

    internal static ConcurrentDictionary<Guid, IQueueDepthSource> ActiveRuns { get; } = new();

    internal static ObservableGauge<int> QueueDepth { get; } = Meter.CreateObservableGauge(
        "aicmo.pipeline.queue.depth",
        ObserveQueueDepths,
        "{lead}",
        "Leads waiting in front of each stage of the running pipelines, summed per stage.");

    internal static Counter<long> Duplicates { get; } =
        Meter.CreateCounter<long>("aicmo.pipeline.duplicates", "{lead}", "Candidates found to be duplicates.");

    private static IEnumerable<Measurement<int>> ObserveQueueDepths()
    {
        var totals = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var run in ActiveRuns.Values)
        {
            foreach (var (stage, depth) in run.QueueDepths())
            {
                totals[stage] = totals.GetValueOrDefault(stage) + depth;
            }
        }

        foreach (var (stage, depth) in totals)
        {
            yield return new Measurement<int>(depth, new KeyValuePair<string, object?>("stage", stage));
        }
    }
}
