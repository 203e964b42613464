using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Storage.Tests;

/// <summary>A host's router: an owner has room while the gate is open; without one the lead waits in manual review.</summary>
public sealed class GatedRouter(RunKindsGate gate) : ILeadRouter
{
    public ValueTask<RoutingDecision> RouteAsync(Lead lead, StageContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(gate.Open
            ? new RoutingDecision("sales", "ann", "default", "all", "ann has room")
            : new RoutingDecision("sales", null, "default", "all", "every owner is at capacity"));
}
