using System.Diagnostics;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

/// <summary>The counts of one stage in one run, updated lock-free by its workers.</summary>
internal sealed class StageCounters(string name)
{
    public readonly string Name = name;
    public long In;
    public long Out;
    public long Duplicates;
    public long Disqualified;
    public long ManualReview;
    public long Routed;
    public long Contacted;
    public long Suppressed;
    public long Quarantined;
    public long Pending;
    public long BusyTicks;
    public long CompletedAt;
    public volatile bool Failed;

    public void CountOutcome(LeadStatus status)
    {
        switch (status)
        {
            case LeadStatus.Disqualified: Interlocked.Increment(ref Disqualified); break;
            case LeadStatus.ManualReview: Interlocked.Increment(ref ManualReview); break;
            case LeadStatus.Routed: Interlocked.Increment(ref Routed); break;
            case LeadStatus.Contacted or LeadStatus.Replied or LeadStatus.Converted: Interlocked.Increment(ref Contacted); break;
            case LeadStatus.Unsubscribed or LeadStatus.Bounced: Interlocked.Increment(ref Suppressed); break;
            case LeadStatus.Quarantined: Interlocked.Increment(ref Quarantined); break;
            default: throw new InvalidOperationException($"{status} is not an outcome.");
        }
    }

    public StageStatistics Snapshot(long runStartTimestamp, int queueDepth)
    {
        var completedAt = Volatile.Read(ref CompletedAt);
        return new StageStatistics
        {
            Name = Name,
            In = Volatile.Read(ref In),
            Out = Volatile.Read(ref Out),
            Duplicates = Volatile.Read(ref Duplicates),
            Disqualified = Volatile.Read(ref Disqualified),
            ManualReview = Volatile.Read(ref ManualReview),
            Routed = Volatile.Read(ref Routed),
            Contacted = Volatile.Read(ref Contacted),
            Suppressed = Volatile.Read(ref Suppressed),
            Quarantined = Volatile.Read(ref Quarantined),
            Pending = Volatile.Read(ref Pending),
            QueueDepth = queueDepth,
            Failed = Failed,
            Duration = Stopwatch.GetElapsedTime(runStartTimestamp, completedAt == 0 ? Stopwatch.GetTimestamp() : completedAt),
            BusyTime = Stopwatch.GetElapsedTime(0, Volatile.Read(ref BusyTicks)),
        };
    }
}
