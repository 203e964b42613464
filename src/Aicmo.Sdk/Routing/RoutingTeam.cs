namespace Aicmo.Sdk.Routing;

/// <summary>A team: its owners and how it shares leads among them.</summary>
public sealed class RoutingTeam
{
    /// <summary>Gets or sets how leads are shared.</summary>
    /// <value>The default value is <see cref="AssignmentStrategy.RoundRobin"/>.</value>
    public AssignmentStrategy Strategy { get; set; } = AssignmentStrategy.RoundRobin;

    /// <summary>Gets or sets the owners, in order (the order breaks ties).</summary>
    public IList<RoutingOwner> Owners { get; set; } = [];
}
