namespace Aicmo.Sdk.Routing;

/// <summary>How a team shares its leads among its owners.</summary>
public enum AssignmentStrategy
{
    /// <summary>Owners take turns in the order listed, skipping those unavailable or at capacity.</summary>
    RoundRobin,

    /// <summary>Smooth weighted round-robin: over time each owner gets leads in proportion to its weight, interleaved.</summary>
    Weighted,

    /// <summary>The owner with the fewest leads in the capacity window; ties go to the owner listed first.</summary>
    LeastLoaded,
}
