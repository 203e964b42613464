namespace Aicmo.Sdk.Routing;

/// <summary>An owner (a sales rep) inside a team.</summary>
public sealed class RoutingOwner
{
    /// <summary>Gets or sets the owner's name or id.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the weight under <see cref="AssignmentStrategy.Weighted"/>.</summary>
    /// <value>The default value is 1.</value>
    public double Weight { get; set; } = 1;

    /// <summary>Gets or sets the most leads the owner takes in the rolling <see cref="TierRouterOptions.CapacityWindow"/>; 0 means no limit.</summary>
    /// <value>The default value is 0.</value>
    public int DailyCapacity { get; set; }

    /// <summary>Gets or sets whether the owner takes leads (false while out of office). <see cref="TierRouter.SetAvailability"/> changes it at run time.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Available { get; set; } = true;
}
