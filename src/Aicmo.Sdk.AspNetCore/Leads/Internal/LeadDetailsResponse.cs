using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.AspNetCore.Leads.Internal;

/// <summary>One lead in full: identity, person, company, its decisions (score with components, qualification, routing, nurture), fault, and its whole audit trail.</summary>
internal sealed record LeadDetailsResponse(
    Guid Id,
    string CampaignId,
    Guid RunId,
    string Status,
    string Source,
    string? ExternalId,
    string? Email,
    string? Name,
    string? Title,
    string? Company,
    string? CompanyDomain,
    string? Industry,
    int? CompanySize,
    string? Country,
    string Consent,
    LeadScore? Score,
    string? QualificationVerdict,
    IReadOnlyList<string> QualificationReasons,
    RoutingDecision? Routing,
    string? NurtureSequence,
    int? NurtureLastStep,
    string? NurtureOutcome,
    string? NurtureReason,
    LeadFault? Fault,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version,
    IReadOnlyList<AuditEventResponse> Trail)
{
    public static LeadDetailsResponse From(Lead l, IReadOnlyList<AuditEvent> trail) => new(
        l.Id, l.CampaignId, l.RunId, l.Status.ToString(), l.Source, l.ExternalId, l.Email, LeadSummaryResponse.FullName(l), l.Title, l.CompanyName,
        l.CompanyDomain, l.Industry, l.CompanySize, l.Country, l.Consent.ToString(), l.Score, l.Qualification?.Verdict.ToString(),
        l.Qualification?.Reasons ?? [], l.Routing, l.Nurture?.Sequence, l.Nurture?.LastStep, l.Nurture?.Outcome.ToString(), l.Nurture?.Reason, l.Fault,
        l.CreatedAt, l.UpdatedAt, l.Version, [.. trail.Select(AuditEventResponse.Of)]);
}
