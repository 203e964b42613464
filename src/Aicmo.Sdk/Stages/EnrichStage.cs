using System.Globalization;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

// Adapters that turn the typed stage interfaces into ILeadStage and apply their decisions to the lead.
// Each awaits only when the stage did not complete synchronously, so a synchronous engine costs no state machine box.

internal sealed class EnrichStage(ILeadEnricher[] enrichers) : ILeadStage
{
    public string Name => StageNames.Enrich;

    public ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        if (enrichers.Length == 1)
        {
            var pending = enrichers[0].EnrichAsync(lead, context, cancellationToken);
            return pending.IsCompletedSuccessfully ? new(Apply(pending.Result)) : Await(pending);
        }

        return RunAllAsync(lead, context, cancellationToken);

        static async ValueTask<StageResult> Await(ValueTask<EnrichmentResult> p) => Apply(await p.ConfigureAwait(false));
    }

    private async ValueTask<StageResult> RunAllAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        var filled = 0;
        var reasons = new List<string>(enrichers.Length);
        foreach (var enricher in enrichers)
        {
            var result = await enricher.EnrichAsync(lead, context, cancellationToken).ConfigureAwait(false);
            filled += result.FieldsFilled;
            if (!string.IsNullOrEmpty(result.Reason))
            {
                reasons.Add(result.Reason);
            }
        }

        return Apply(new EnrichmentResult(filled, string.Join("; ", reasons)));
    }

    private static StageResult Apply(EnrichmentResult result) =>
        StageResult.MoveTo(LeadStatus.Enriched, string.IsNullOrEmpty(result.Reason) ? "enriched" : result.Reason);
}
