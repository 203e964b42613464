namespace Aicmo.Sdk.Storage;

/// <summary>What erasing a person by address did.</summary>
/// <param name="SuppressedAs">The hashed address kept in the suppression list.</param>
/// <param name="Leads">The person's leads erased, one per campaign that held the address.</param>
/// <param name="RunRecordsRedacted">How many run records had errors quoting the person replaced.</param>
public sealed record PersonErasureResult(string? SuppressedAs, IReadOnlyList<ErasureResult> Leads, int RunRecordsRedacted);
