using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>A page of a run's leads to list (see <see cref="ILeadRepository.ListByRunAsync"/>).</summary>
public sealed record LeadRunQuery
{
    /// <summary>Gets the run the leads answer for.</summary>
    public required Guid RunId { get; init; }

    /// <summary>Gets the states to list, or <see langword="null"/> for all.</summary>
    public IReadOnlyList<LeadStatus>? Statuses { get; init; }

    /// <summary>Gets the id of the last lead of the previous page, or <see langword="null"/> for the first page.</summary>
    public Guid? After { get; init; }

    /// <summary>Gets the page size. <value>The default value is 1000.</value></summary>
    public int Take { get; init; } = 1000;
}
