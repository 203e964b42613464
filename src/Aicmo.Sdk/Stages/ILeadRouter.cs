using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

/// <summary>Decides where a qualified lead goes: team, owner and sequence.</summary>
public interface ILeadRouter
{
    /// <summary>Routes one lead. A decision with no owner sends the lead to manual review.</summary>
    /// <param name="lead">The lead, already qualified.</param>
    /// <param name="context">The run.</param>
    /// <param name="cancellationToken">Signals a timeout or the end of the run.</param>
    /// <returns>The decision.</returns>
    ValueTask<RoutingDecision> RouteAsync(Lead lead, StageContext context, CancellationToken cancellationToken);
}
