namespace Aicmo.Sdk.Storage;

/// <summary>A reason and how many leads it applies to.</summary>
/// <param name="Reason">The reason, as the audit trail records it.</param>
/// <param name="Count">How many leads.</param>
public readonly record struct ReasonCount(string Reason, long Count);
