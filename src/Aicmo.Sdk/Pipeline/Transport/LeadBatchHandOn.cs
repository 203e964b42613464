namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>A batch a process published to the next stage (or further) while it worked on a delivered batch.</summary>
/// <param name="Stage">The stage the batch was published to.</param>
/// <param name="BatchId">The batch's number within the run.</param>
/// <param name="Count">The number of leads in it.</param>
public sealed record LeadBatchHandOn(string Stage, long BatchId, int Count);
