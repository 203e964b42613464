using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Enrichment;

/// <summary>A value a provider found for a field.</summary>
/// <param name="Field">The field (see <see cref="EnrichmentFields"/>).</param>
/// <param name="Value">The value, as text.</param>
/// <param name="Confidence">The provider's confidence in [0, 1].</param>
public readonly record struct EnrichedValue(string Field, string Value, double Confidence);
