namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// A stage wrote a value that the intake policy refuses (<see cref="Domain.TextPolicy"/>) into a lead: the lead is quarantined
/// with this reason, and the refused characters are removed before it is stored.
/// </summary>
public sealed class IntakePolicyException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="IntakePolicyException"/> class.</summary>
    public IntakePolicyException()
        : base("A value contains a character that the intake policy refuses.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IntakePolicyException"/> class.</summary>
    /// <param name="message">Which field, and which character.</param>
    public IntakePolicyException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="IntakePolicyException"/> class.</summary>
    /// <param name="message">Which field, and which character.</param>
    /// <param name="innerException">The cause.</param>
    public IntakePolicyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
