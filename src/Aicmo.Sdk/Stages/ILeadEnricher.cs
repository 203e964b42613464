using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

/// <summary>Fills in missing fields of a lead. Record where each value came from in <see cref="Lead.Provenance"/>.</summary>
public interface ILeadEnricher
{
    /// <summary>Enriches one lead in place.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="context">The run.</param>
    /// <param name="cancellationToken">Signals a timeout or the end of the run.</param>
    /// <returns>How many fields were filled in, and a note.</returns>
    ValueTask<EnrichmentResult> EnrichAsync(Lead lead, StageContext context, CancellationToken cancellationToken);
}
