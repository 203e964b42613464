namespace Aicmo.Sdk.Scheduling;

/// <summary>
/// The right to run jobs of one kind for one campaign, held by one owner until <see cref="ExpiresAt"/> (by the store's clock)
/// unless renewed. Each new holder gets a larger <see cref="FencingToken"/>; a job's result is written only while its token is
/// still the current one, so a holder that lost its lease (paused, partitioned) cannot record over its successor.
/// </summary>
public sealed record JobLease
{
    /// <summary>Gets the campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Gets the kind of job.</summary>
    public required string JobKind { get; init; }

    /// <summary>Gets the holder (a host id).</summary>
    public required string Owner { get; init; }

    /// <summary>Gets the fencing token: larger for every new holder of this (campaign, job kind).</summary>
    public required long FencingToken { get; init; }

    /// <summary>Gets when the lease ends unless renewed, by the store's clock.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Gets the pipeline run the holder reported as running under the lease, if any.</summary>
    public Guid? RunId { get; init; }

    /// <summary>
    /// Gets, on a lease just acquired, the run the previous holder reported and never released: its lease expired (the host
    /// died or hung), so the run was interrupted and the new holder should resume it.
    /// </summary>
    public Guid? InterruptedRunId { get; init; }
}
