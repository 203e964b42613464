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
}
