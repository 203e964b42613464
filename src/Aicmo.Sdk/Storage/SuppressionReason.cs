using System.Globalization;

namespace Aicmo.Sdk.Storage;

/// <summary>Why an address is suppressed.</summary>
public enum SuppressionReason
{
    /// <summary>The person unsubscribed.</summary>
    Unsubscribed,

    /// <summary>Mail bounced.</summary>
    Bounced,

    /// <summary>The person complained (marked as spam).</summary>
    Complained,

    /// <summary>Added by hand.</summary>
    Manual,

    /// <summary>The person's data was erased on request; the address must never be mailed again.</summary>
    Erased,
}
