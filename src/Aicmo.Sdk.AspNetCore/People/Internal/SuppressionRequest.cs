namespace Aicmo.Sdk.AspNetCore.People.Internal;

/// <summary>The body of a suppression: the address and why (<c>manual</c> unless told).</summary>
internal sealed record SuppressionRequest
{
    /// <summary>Gets the address to suppress.</summary>
    public string? Email { get; init; }

    /// <summary>Gets why: <c>manual</c>, <c>unsubscribed</c>, <c>bounced</c> or <c>complained</c>.</summary>
    public string? Reason { get; init; }
}
