using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Nurture;

/// <summary>An email ready for the transport.</summary>
public sealed record EmailMessage
{
    /// <summary>Gets the outbox key of this send.</summary>
    public required OutboxKey Key { get; init; }

    /// <summary>Gets the key's string form, to pass to the provider as its idempotency key.</summary>
    public string IdempotencyKey => Key.IdempotencyKey;

    /// <summary>Gets the sender address.</summary>
    public required string FromAddress { get; init; }

    /// <summary>Gets the sender display name.</summary>
    public string? FromName { get; init; }

    /// <summary>Gets the recipient address.</summary>
    public required string To { get; init; }

    /// <summary>Gets the recipient display name.</summary>
    public string? ToName { get; init; }

    /// <summary>Gets the subject.</summary>
    public required string Subject { get; init; }

    /// <summary>Gets the plain-text body.</summary>
    public required string Body { get; init; }

    /// <summary>Gets extra headers, including <c>List-Unsubscribe</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
