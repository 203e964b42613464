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

/// <summary>
/// The per-lead counts of one worker of one stage. Written only by the worker that owns it, with plain (volatile) stores; read by
/// <see cref="StageCounters.Snapshot"/> from any thread. Every count only grows, so a sum of blocks read one after the other is
/// never below an earlier sum (progress is monotonic), and it is exact once the owners have finished.
/// </summary>
/// <remarks>Padded to 64 bytes on both sides so that two workers' blocks never share a cache line.</remarks>
[StructLayout(LayoutKind.Explicit, Size = 232)]
internal sealed class WorkerCounters
{
    [FieldOffset(64)] public long In;
    [FieldOffset(72)] public long Out;
    [FieldOffset(80)] public long BusyTicks;
    [FieldOffset(88)] public long Duplicates;
    [FieldOffset(96)] public long Disqualified;
    [FieldOffset(104)] public long ManualReview;
    [FieldOffset(112)] public long Routed;
    [FieldOffset(120)] public long Contacted;
    [FieldOffset(128)] public long Suppressed;
    [FieldOffset(136)] public long Quarantined;
    [FieldOffset(144)] public long Rejected;
    [FieldOffset(152)] public long PossibleDuplicateSends;
    [FieldOffset(160)] public long Stored;

    /// <summary>Adds one to a count of this block; the owner is the only writer, so no atomic operation is needed.</summary>
    public static void Increment(ref long count) => Volatile.Write(ref count, count + 1);

    public void AddBusy(long ticks) => Volatile.Write(ref BusyTicks, BusyTicks + ticks);

    public void CountOutcome(LeadStatus status)
    {
        switch (status)
        {
            case LeadStatus.Disqualified: Increment(ref Disqualified); break;
            case LeadStatus.ManualReview: Increment(ref ManualReview); break;
            case LeadStatus.Routed: Increment(ref Routed); break;
            case LeadStatus.Contacted or LeadStatus.Replied or LeadStatus.Converted: Increment(ref Contacted); break;
            case LeadStatus.Unsubscribed or LeadStatus.Bounced: Increment(ref Suppressed); break;
            case LeadStatus.Quarantined: Increment(ref Quarantined); break;

            // Only a run that stops early (harvest only, or a backlog of some stages) finishes a lead in these states.
            case LeadStatus.New or LeadStatus.Enriched or LeadStatus.Scored or LeadStatus.Qualified: Increment(ref Stored); break;
            default: throw new InvalidOperationException($"{status} is not an outcome.");
        }
    }
}
