using System.Diagnostics.Metrics;
using Aicmo.Sdk.Diagnostics;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>The scheduler's instruments, on the pipeline's <c>Aicmo.Pipeline</c> meter.</summary>
internal static class SchedulerMetrics
{
    public static Counter<long> Fires { get; } =
        AicmoDiagnostics.Meter.CreateCounter<long>("aicmo.scheduler.fires", "{fire}", "Job attempts started, by job kind.");

    public static Counter<long> Skips { get; } =
        AicmoDiagnostics.Meter.CreateCounter<long>("aicmo.scheduler.skips", "{fire}", "Fires skipped because a run of the kind was live for the campaign, by job kind.");

    public static Counter<long> Misfires { get; } =
        AicmoDiagnostics.Meter.CreateCounter<long>("aicmo.scheduler.misfires", "{occurrence}", "Occurrences missed and not run, by job kind.");

    public static Counter<long> Retries { get; } =
        AicmoDiagnostics.Meter.CreateCounter<long>("aicmo.scheduler.retries", "{retry}", "Retries planned after a failed attempt, by job kind.");

    public static Counter<long> Jobs { get; } =
        AicmoDiagnostics.Meter.CreateCounter<long>("aicmo.scheduler.jobs", "{job}", "Job attempts ended, by job kind and status.");

    public static Histogram<double> Lag { get; } =
        AicmoDiagnostics.Meter.CreateHistogram<double>("aicmo.scheduler.lag", "s", "Time between an occurrence and the start of its first attempt, by job kind.");

    public static KeyValuePair<string, object?> Kind(string kind) => new("job.kind", kind);
}
