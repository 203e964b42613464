namespace Aicmo.Sdk.Domain;

/// <summary>The consent state of a lead.</summary>
public enum ConsentState
{
    /// <summary>Nothing is known.</summary>
    Unknown,

    /// <summary>The person opted in.</summary>
    OptedIn,

    /// <summary>The person is on the suppression list.</summary>
    Suppressed,
}
