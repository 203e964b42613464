namespace Aicmo.Sdk.Pipeline;

/// <summary>Thrown (and recorded on the quarantined lead) when one attempt of a stage took longer than its timeout.</summary>
public sealed class StageTimeoutException : TimeoutException
{
    /// <summary>Initializes a new instance of the <see cref="StageTimeoutException"/> class.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="timeout">The timeout that was exceeded.</param>
    /// <param name="innerException">The exception raised by the timeout strategy.</param>
    public StageTimeoutException(string stage, TimeSpan timeout, Exception? innerException = null)
        : base($"Stage '{stage}' did not finish within its timeout of {timeout}.", innerException)
    {
        Stage = stage;
        Timeout = timeout;
    }

    /// <summary>Gets the stage.</summary>
    public string Stage { get; }

    /// <summary>Gets the timeout that was exceeded.</summary>
    public TimeSpan Timeout { get; }
}
