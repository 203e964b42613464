using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.AspNetCore.People.Internal;

/// <summary>What an erasure did: the hash the address is kept under, each lead erased, and the run records redacted.</summary>
internal sealed record ErasureResponse(string? SuppressedAs, int LeadsErased, IReadOnlyList<ErasedLeadResponse> Leads, int RunRecordsRedacted)
{
    public static ErasureResponse From(PersonErasureResult result) => new(
        result.SuppressedAs,
        result.Leads.Count(l => l.Found),
        [.. result.Leads.Select(l => new ErasedLeadResponse(l.LeadId, l.Found, l.AuditEventsRedacted, l.OutboxEntriesRedacted))],
        result.RunRecordsRedacted);
}
