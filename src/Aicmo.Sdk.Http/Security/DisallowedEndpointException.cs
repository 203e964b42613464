namespace Aicmo.Sdk.Http.Security;

/// <summary>A connection was refused by the endpoint guard: the host resolved to an internal address that is not allowed.</summary>
/// <remarks>It reaches callers as the inner exception of an <see cref="HttpRequestException"/>; it is never retried.</remarks>
public sealed class DisallowedEndpointException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DisallowedEndpointException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public DisallowedEndpointException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DisallowedEndpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
