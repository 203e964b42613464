namespace Aicmo.Sdk.AspNetCore.People.Internal;

/// <summary>The body of an erasure: the person's address and, optionally, the request's reference (no personal data).</summary>
internal sealed record ErasureRequest
{
    /// <summary>Gets the person's address.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the reference of the request (a ticket number), recorded in the audit trail.</summary>
    public string? Reason { get; init; }
}
