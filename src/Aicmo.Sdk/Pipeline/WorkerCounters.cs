using System.Diagnostics;
using System.Runtime.InteropServices;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

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
