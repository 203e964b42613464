using System.Diagnostics;
using System.Runtime.InteropServices;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// The counts of one stage in one run. The per-lead counts live in <see cref="WorkerCounters"/> blocks, one per worker (or
/// source), each written by its owner alone with plain stores and summed when a snapshot is taken: an <see cref="Interlocked"/>
/// update of a counter shared by every worker costs a cache-line transfer between cores per lead. The fields here are for what
/// is rare (pending leads, failures, completion) and are updated atomically.
/// </summary>
internal sealed class StageCounters(string name)
{
    public readonly string Name = name;
    private long _pending;
    public long CompletedAt;
    public volatile bool Failed;
    private readonly Lock _gate = new();
    private WorkerCounters[] _workers = [];

    /// <summary>Adds leads left pending in this stage; <see cref="RunReport.CountPending"/> is the one caller.</summary>
    public void AddPending(long count) => Interlocked.Add(ref _pending, count);

    /// <summary>Creates a counter block for one worker; only that worker may write to it.</summary>
    public WorkerCounters AddWorker()
    {
        var block = new WorkerCounters();
        lock (_gate)
        {
            // Copy on write: snapshots read the array without a lock, and workers are added only when they start.
            _workers = [.. _workers, block];
        }

        return block;
    }

    public StageStatistics Snapshot(long runStartTimestamp, int queueDepth)
    {
        var completedAt = Volatile.Read(ref CompletedAt);
        long @in = 0, @out = 0, duplicates = 0, disqualified = 0, review = 0, routed = 0, contacted = 0, suppressed = 0, quarantined = 0, busy = 0, rejected = 0, possibleDuplicates = 0, stored = 0;
        foreach (var w in Volatile.Read(ref _workers))
        {
            @in += Volatile.Read(ref w.In);
            @out += Volatile.Read(ref w.Out);
            duplicates += Volatile.Read(ref w.Duplicates);
            disqualified += Volatile.Read(ref w.Disqualified);
            review += Volatile.Read(ref w.ManualReview);
            routed += Volatile.Read(ref w.Routed);
            contacted += Volatile.Read(ref w.Contacted);
            suppressed += Volatile.Read(ref w.Suppressed);
            quarantined += Volatile.Read(ref w.Quarantined);
            rejected += Volatile.Read(ref w.Rejected);
            possibleDuplicates += Volatile.Read(ref w.PossibleDuplicateSends);
            stored += Volatile.Read(ref w.Stored);
            busy += Volatile.Read(ref w.BusyTicks);
        }

        return new StageStatistics
        {
            Name = Name,
            In = @in,
            Out = @out,
            Duplicates = duplicates,
            Disqualified = disqualified,
            ManualReview = review,
            Routed = routed,
            Contacted = contacted,
            Suppressed = suppressed,
            Quarantined = quarantined,
            Rejected = rejected,
            PossibleDuplicateSends = possibleDuplicates,
            Stored = stored,
            Pending = Volatile.Read(ref _pending),
            QueueDepth = queueDepth,
            Failed = Failed,
            Duration = Stopwatch.GetElapsedTime(runStartTimestamp, completedAt == 0 ? Stopwatch.GetTimestamp() : completedAt),
            BusyTime = Stopwatch.GetElapsedTime(0, busy),
        };
    }
}
