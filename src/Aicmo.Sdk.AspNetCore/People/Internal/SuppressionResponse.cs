using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.AspNetCore.People.Internal;

/// <summary>A suppressed address on the wire: the stored address (a hash for an erased person), why and since when.</summary>
internal sealed record SuppressionResponse(string Email, string Reason, DateTimeOffset At)
{
    public static SuppressionResponse From(SuppressionEntry entry) =>
        new(entry.Email, SuppressionReasons.Name(entry.Reason), entry.At);
}
