using System.Globalization;

namespace Aicmo.Sdk.Storage;

/// <summary>One suppressed address.</summary>
/// <param name="Email">The normalized address.</param>
/// <param name="Reason">Why.</param>
/// <param name="At">When.</param>
public sealed record SuppressionEntry(string Email, SuppressionReason Reason, DateTimeOffset At);
