using System.Globalization;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

internal sealed class RouteStage(ILeadRouter router) : ILeadStage
{
    public string Name => StageNames.Route;

    public ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        var pending = router.RouteAsync(lead, context, cancellationToken);
        return pending.IsCompletedSuccessfully ? new(Apply(lead, pending.Result)) : Await(lead, pending);

        static async ValueTask<StageResult> Await(Lead l, ValueTask<RoutingDecision> p) => Apply(l, await p.ConfigureAwait(false));
    }

    private static StageResult Apply(Lead lead, RoutingDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        lead.Routing = decision;
        return decision.IsAssigned
            ? StageResult.MoveTo(LeadStatus.Routed, decision.Reason)
            : StageResult.MoveTo(LeadStatus.ManualReview, decision.Reason);
    }
}
