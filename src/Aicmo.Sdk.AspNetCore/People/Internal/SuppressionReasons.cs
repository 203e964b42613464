using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.AspNetCore.People.Internal;

/// <summary>The wire names of <see cref="SuppressionReason"/>; <c>erased</c> is only ever set by an erasure.</summary>
internal static class SuppressionReasons
{
    public static string Name(SuppressionReason reason) => reason switch
    {
        SuppressionReason.Unsubscribed => "unsubscribed",
        SuppressionReason.Bounced => "bounced",
        SuppressionReason.Complained => "complained",
        SuppressionReason.Erased => "erased",
        _ => "manual",
    };

    public static SuppressionReason? ParseSettable(string? name) => name switch
    {
        null or "manual" => SuppressionReason.Manual,
        "unsubscribed" => SuppressionReason.Unsubscribed,
        "bounced" => SuppressionReason.Bounced,
        "complained" => SuppressionReason.Complained,
        _ => null,
    };
}
