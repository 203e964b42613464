using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>Where a page of leads ends, in their listing order (creation time, then id).</summary>
/// <param name="CreatedAt">The lead's creation time.</param>
/// <param name="Id">The lead's id.</param>
public readonly record struct LeadPageKey(DateTimeOffset CreatedAt, Guid Id)
{
    /// <summary>Gets the key of a lead.</summary>
    /// <param name="lead">The lead.</param>
    /// <returns>Its key.</returns>
    public static LeadPageKey Of(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return new LeadPageKey(lead.CreatedAt, lead.Id);
    }
}
