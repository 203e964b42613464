namespace Aicmo.Sdk.Stages;

/// <summary>
/// Throw from a stage to say the failure is temporary (a rate limit, a 503): the attempt is retried with backoff before the
/// lead is quarantined. <see cref="TimeoutException"/>, <see cref="IOException"/> and <see cref="HttpRequestException"/> are
/// treated as transient too.
/// </summary>
public class TransientLeadException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TransientLeadException"/> class.</summary>
    public TransientLeadException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TransientLeadException"/> class.</summary>
    /// <param name="message">The message.</param>
    public TransientLeadException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TransientLeadException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TransientLeadException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
