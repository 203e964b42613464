namespace Aicmo.Sdk.Nurture;

/// <summary>Kinds of <see cref="EmailDeliveryException"/>.</summary>
public enum EmailDeliveryFailure
{
    /// <summary>The transport refused for now (for example an SMTP 4xx reply); a later attempt may succeed.</summary>
    Transient,

    /// <summary>The transport refused the message for good (for example an SMTP 5xx reply).</summary>
    Permanent,

    /// <summary>The transport refused the recipient for good: the address does not exist or does not accept mail.</summary>
    RecipientRejected,
}
