namespace Aicmo.Sdk.Domain;

/// <summary>Thrown when code asks a lead to move between two states that the lifecycle does not connect.</summary>
public sealed class InvalidLeadTransitionException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="InvalidLeadTransitionException"/> class.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="to">The requested state.</param>
    public InvalidLeadTransitionException(LeadStatus from, LeadStatus to)
        : base($"A lead cannot move from {from} to {to}.")
    {
        From = from;
        To = to;
    }

    /// <summary>Gets the state the lead was in.</summary>
    public LeadStatus From { get; }

    /// <summary>Gets the state that was requested.</summary>
    public LeadStatus To { get; }
}
