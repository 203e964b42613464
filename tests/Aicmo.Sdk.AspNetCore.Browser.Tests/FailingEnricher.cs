using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.AspNetCore.Browser.Tests;

/// <summary>Stops the run (it ends Failed) when the lead's campaign is listed in <see cref="CampaignFailures"/>; adds nothing otherwise.</summary>
public sealed class FailingEnricher(CampaignFailures failures) : ILeadEnricher
{
    public ValueTask<EnrichmentResult> EnrichAsync(Lead lead, StageContext context, CancellationToken cancellationToken) =>
        failures.Failing.ContainsKey(lead.CampaignId)
            ? throw new PipelineFatalException("The enrichment vendor revoked the credential.")
            : ValueTask.FromResult(new EnrichmentResult(0, "nothing to add"));
}
