using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>A page of leads to list.</summary>
public sealed record LeadQuery
{
    /// <summary>Gets the campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Gets the state to filter on, or <see langword="null"/> for all.</summary>
    public LeadStatus? Status { get; init; }

    /// <summary>Gets how many to skip. <value>The default value is 0.</value></summary>
    /// <remarks>Offsets shift when leads change state between pages; to walk a whole campaign use <see cref="After"/> instead.</remarks>
    public int Skip { get; init; }

    /// <summary>
    /// Gets the key of the last lead of the previous page (<see cref="LeadPageKey.Of"/>), to list the leads after it, or
    /// <see langword="null"/> to start at the beginning. Paging by key never skips or repeats a lead, whatever changes between pages.
    /// </summary>
    public LeadPageKey? After { get; init; }

    /// <summary>Gets the page size. <value>The default value is 100.</value></summary>
    public int Take { get; init; } = 100;
}
