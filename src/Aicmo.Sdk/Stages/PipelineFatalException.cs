namespace Aicmo.Sdk.Stages;

/// <summary>
/// Throw from a stage when the whole run must stop (a credential revoked, a store gone): the sources stop, in-flight leads
/// are left where they are, and the run ends <c>Failed</c>. Exceptions from the stores are fatal too.
/// </summary>
public class PipelineFatalException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="PipelineFatalException"/> class.</summary>
    public PipelineFatalException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PipelineFatalException"/> class.</summary>
    /// <param name="message">The message.</param>
    public PipelineFatalException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PipelineFatalException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PipelineFatalException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
