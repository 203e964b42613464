namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// Where a batch of leads came from in a transport across processes: the delivered batch (its slot and number) it was handed
/// on from, and whether it holds the leads that batch's stage handed on or leads a redelivery found further down the pipeline.
/// A batch with no lineage (<see cref="IsNone"/>) is numbered by the run's counter (the dedup stage's output, resumed leads);
/// one with a lineage is numbered after it (<see cref="BatchIdFor"/>), so the same hand-on made twice (a batch worked on again
/// after its process died) carries the same number, and the inbox drops the copy.
/// </summary>
/// <param name="Slot">The slot of the delivered batch: <c>i + 1</c> for lead stage <c>i</c>; 0 for none.</param>
/// <param name="Batch">The delivered batch's number.</param>
/// <param name="Ahead">Whether the leads were found past the delivered batch's stage (a redelivery) rather than handed on by it.</param>
internal readonly record struct BatchLineage(int Slot, long Batch, bool Ahead)
{
    /// <summary>Gets whether the batch has no lineage.</summary>
    public bool IsNone => Slot == 0;

    /// <summary>
    /// Returns the number of the batch handed on to lead stage <paramref name="target"/>: a mix of the lineage and the target,
    /// always at or above 2^62, so it never meets a number the run's counter hands out.
    /// </summary>
    public long BatchIdFor(int target)
    {
        unchecked
        {
            var x = (ulong)Batch * 0x9E3779B97F4A7C15UL;
            x ^= ((ulong)(uint)Slot << 32) | ((ulong)(uint)target << 1) | (Ahead ? 1UL : 0UL);
            x ^= x >> 30;
            x *= 0xBF58476D1CE4E5B9UL;
            x ^= x >> 27;
            x *= 0x94D049BB133111EBUL;
            x ^= x >> 31;
            return (long)((x & 0x3FFF_FFFF_FFFF_FFFFUL) | 0x4000_0000_0000_0000UL);
        }
    }
}
