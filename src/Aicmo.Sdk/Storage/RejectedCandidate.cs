namespace Aicmo.Sdk.Storage;

/// <summary>A candidate rejected at intake: never stored as a lead, kept with its reason so that nothing a source read is lost.</summary>
public sealed record RejectedCandidate
{
    /// <summary>Gets the store's id of the entry, increasing in the order entries were recorded (0 until stored).</summary>
    public long Id { get; init; }

    /// <summary>Gets the run that read the candidate.</summary>
    public required Guid RunId { get; init; }

    /// <summary>Gets the campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Gets the name of the source that yielded the candidate.</summary>
    public required string Source { get; init; }

    /// <summary>Gets where in the source the record was read (for example <c>line 17</c>), when the source said.</summary>
    public string? Position { get; init; }

    /// <summary>Gets the source's own id of the record, when it had one.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Gets why the candidate was rejected, in words a person can act on.</summary>
    public required string Reason { get; init; }

    /// <summary>Gets when it was rejected.</summary>
    public required DateTimeOffset At { get; init; }
}
