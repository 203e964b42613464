using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.AspNetCore.Tests.Support;

/// <summary>An enricher that stops the run (a fatal error, so the run ends Failed) while its switch is on, and does nothing otherwise.</summary>
public sealed class SwitchableFailingEnricher(FailureSwitch failure) : ILeadEnricher
{
    public ValueTask<EnrichmentResult> EnrichAsync(Lead lead, StageContext context, CancellationToken cancellationToken) =>
        failure.Failing
            ? throw new PipelineFatalException("The enrichment vendor revoked the credential.")
            : ValueTask.FromResult(new EnrichmentResult(0, "nothing to add"));
}
