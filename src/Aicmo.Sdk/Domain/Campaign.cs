namespace Aicmo.Sdk.Domain;

/// <summary>A campaign: the scope inside which leads are unique by identity key.</summary>
public sealed record Campaign
{
    /// <summary>Gets the campaign id, chosen by the host (for example <c>q4-enterprise</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets a display name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets when the campaign was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets a description of the campaign.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the niche the campaign targets (for example <c>dental clinics</c>).</summary>
    public string? TargetNiche { get; init; }

    /// <summary>Gets the key of the service the campaign sells.</summary>
    public string? ServiceKey { get; init; }

    /// <summary>Gets how many clients the campaign aims to win, or <see langword="null"/> when not set.</summary>
    public int? TargetClients { get; init; }

    /// <summary>Gets the monthly revenue the campaign aims for, or <see langword="null"/> when not set.</summary>
    public decimal? TargetMonthlyRevenue { get; init; }

    /// <summary>Gets whether the campaign is active (runs may be started for it).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Active { get; init; } = true;

    /// <summary>Gets when the campaign was archived, or <see langword="null"/> while it is not.</summary>
    public DateTimeOffset? ArchivedAt { get; init; }

    /// <summary>Gets when the campaign was last changed, or <see langword="null"/> when never.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Gets the version for optimistic concurrency; stores keep it as given and compare it on update.</summary>
    public long Version { get; init; }

    /// <summary>Gets the campaign's pipeline settings, or <see langword="null"/> for the pipeline's defaults.</summary>
    public CampaignSettings? Settings { get; init; }
}
