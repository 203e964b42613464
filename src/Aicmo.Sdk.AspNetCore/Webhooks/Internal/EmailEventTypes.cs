using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.AspNetCore.Webhooks.Internal;

/// <summary>The event types the webhook takes, and what each maps onto.</summary>
internal static class EmailEventTypes
{
    public static readonly string[] All = ["bounce", "complaint", "reply", "unsubscribe"];

    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);

    public static NurtureStopReason StopReason(string type) => type switch
    {
        "bounce" => NurtureStopReason.Bounce,
        "complaint" => NurtureStopReason.Complaint,
        "reply" => NurtureStopReason.Reply,
        _ => NurtureStopReason.Unsubscribe,
    };

    public static SuppressionReason SuppressionReason(NurtureStopReason reason) => reason switch
    {
        NurtureStopReason.Bounce => Storage.SuppressionReason.Bounced,
        NurtureStopReason.Complaint => Storage.SuppressionReason.Complained,
        _ => Storage.SuppressionReason.Unsubscribed,
    };
}
