namespace Aicmo.Sdk.Domain;

/// <summary>Why a lead was quarantined.</summary>
/// <param name="Stage">The stage that failed.</param>
/// <param name="ErrorType">The full name of the exception type.</param>
/// <param name="Message">The exception message.</param>
/// <param name="Attempts">How many attempts were made.</param>
public sealed record LeadFault(string Stage, string ErrorType, string Message, int Attempts);
