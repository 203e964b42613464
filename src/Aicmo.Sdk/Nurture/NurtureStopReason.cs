using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Aicmo.Sdk.Nurture;

/// <summary>Why a lead's sequence stops, as reported by the host.</summary>
public enum NurtureStopReason
{
    /// <summary>The person replied.</summary>
    Reply,

    /// <summary>The lead converted (booked a meeting, bought).</summary>
    Conversion,

    /// <summary>Mail to the person bounced.</summary>
    Bounce,

    /// <summary>The person unsubscribed.</summary>
    Unsubscribe,

    /// <summary>The person complained (marked an email as spam).</summary>
    Complaint,
}
