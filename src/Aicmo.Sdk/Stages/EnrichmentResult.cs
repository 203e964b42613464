using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

/// <summary>What enrichment did.</summary>
/// <param name="FieldsFilled">How many fields were filled in.</param>
/// <param name="Reason">A note for the audit trail.</param>
public readonly record struct EnrichmentResult(int FieldsFilled, string Reason);
