using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.AspNetCore.Leads.Internal;

/// <summary>One transition of a lead's audit trail.</summary>
internal sealed record AuditEventResponse(long Sequence, Guid RunId, string Stage, string? From, string To, string Reason, DateTimeOffset At)
{
    public static AuditEventResponse Of(AuditEvent e) => new(e.Sequence, e.RunId, e.Stage, e.From?.ToString(), e.To.ToString(), e.Reason, e.Timestamp);
}
