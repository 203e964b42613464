using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

/// <summary>What one worker of one stage owns: its counter block, and the audit events of the batch in hand.</summary>
/// <remarks>Used by one worker at a time: the counters are not safe for concurrent callers.</remarks>
internal sealed class StageWorker(WorkerCounters counters, Batch<AuditEvent>? audit = null, bool measuresBusy = true)
{
    public WorkerCounters Counters { get; } = counters;

    /// <summary>Gets the audit events of the batch in hand, appended together once the batch is done; <see langword="null"/> when
    /// each event is appended as it happens.</summary>
    public Batch<AuditEvent>? Audit { get; } = audit;

    /// <summary>Gets whether the executor adds each execution's duration to the worker's busy time; a worker that runs whole
    /// batches measures the batch instead.</summary>
    public bool MeasuresBusy { get; } = measuresBusy;
}
