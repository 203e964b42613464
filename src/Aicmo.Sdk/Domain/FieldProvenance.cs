namespace Aicmo.Sdk.Domain;

/// <summary>Where an enriched field's value came from.</summary>
/// <param name="Provider">The provider that supplied the value.</param>
/// <param name="At">When the value was obtained.</param>
/// <param name="Confidence">The provider's confidence in [0, 1].</param>
public sealed record FieldProvenance(string Provider, DateTimeOffset At, double Confidence);
