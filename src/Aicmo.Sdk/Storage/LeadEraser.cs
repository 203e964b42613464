using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;

namespace Aicmo.Sdk.Storage;

/// <summary>What an erasure did.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Found">Whether the lead existed.</param>
/// <param name="AuditEventsRedacted">How many audit events had their reason replaced.</param>
/// <param name="OutboxEntriesRedacted">How many outbox entries had their recipient and subject replaced.</param>
/// <param name="SuppressedAs">The hashed address kept in the suppression list, or <see langword="null"/> when the lead had none.</param>
public sealed record ErasureResult(Guid LeadId, bool Found, int AuditEventsRedacted, int OutboxEntriesRedacted, string? SuppressedAs);

/// <summary>
/// Erases a person's data on request, in every store: the lead is anonymized (person fields, attributes and provenance removed,
/// identity key replaced by its hash), audit reasons and outbox recipients and subjects are replaced, and the address is kept
/// in the suppression list only as a hash (<see cref="EmailHash"/>), so it is never mailed again, even when harvested anew.
/// The erasure itself is recorded as the lead's last audit event.
/// </summary>
/// <remarks>Company fields are business data and are kept; so are the lead's state, decisions and timestamps.</remarks>
/// <param name="leads">The lead store.</param>
/// <param name="audit">The audit log.</param>
/// <param name="outbox">The email outbox.</param>
/// <param name="suppression">The suppression list.</param>
/// <param name="time">The clock that stamps the erasure.</param>
public sealed class LeadEraser(ILeadRepository leads, IAuditLog audit, IEmailOutbox outbox, ISuppressionList suppression, TimeProvider time)
{
    /// <summary>The text that replaces erased values.</summary>
    public const string Redacted = "[erased]";

    /// <summary>The stage name of the audit event that records an erasure.</summary>
    public const string Stage = "erasure";

    /// <summary>Erases a lead's personal data in every store.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="reason">Why (for example the request's reference); recorded in the audit trail, so it must not hold personal data.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>What was done; <see cref="ErasureResult.Found"/> is <see langword="false"/> for an unknown lead.</returns>
    public async Task<ErasureResult> EraseLeadAsync(Guid leadId, string reason = "erasure requested", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reason);
        for (var attempt = 0; ; attempt++)
        {
            var lead = await leads.GetAsync(leadId, cancellationToken).ConfigureAwait(false);
            if (lead is null)
            {
                return new ErasureResult(leadId, false, 0, 0, null);
            }

            var now = time.GetUtcNow();

            // The hash goes in first: if anything after it fails, the address is already blocked and a retry finishes the rest.
            var hashed = EmailHash.Compute(lead.Email)
                ?? (lead.IdentityKey.StartsWith("e:", StringComparison.Ordinal) ? EmailHash.Compute(lead.IdentityKey[2..]) : null);
            if (hashed is not null)
            {
                await suppression.AddAsync(new SuppressionEntry(hashed, SuppressionReason.Erased, now), cancellationToken).ConfigureAwait(false);
                if (lead.Email is not null)
                {
                    await suppression.RemoveAsync(lead.Email, cancellationToken).ConfigureAwait(false);
                }
            }

            var expected = lead.Version;
            var anonymized = Anonymize(lead, now);
            if (!await leads.EraseAsync(anonymized, expected, cancellationToken).ConfigureAwait(false))
            {
                if (attempt < 5)
                {
                    continue;
                }

                throw new InvalidOperationException($"Lead {leadId} kept changing while it was being erased; try again.");
            }

            var events = await audit.RedactAsync(leadId, Redacted, cancellationToken).ConfigureAwait(false);
            var entries = await outbox.RedactAsync(leadId, Redacted, cancellationToken).ConfigureAwait(false);
            await audit.AppendAsync(
                new AuditEvent(leadId, lead.CampaignId, lead.RunId, anonymized.Version, Stage, lead.Status, lead.Status, "personal data erased: " + reason, now),
                cancellationToken).ConfigureAwait(false);
            return new ErasureResult(leadId, true, events, entries, hashed);
        }
    }

    private static Lead Anonymize(Lead lead, DateTimeOffset now)
    {
        var erased = new Lead
        {
            Id = lead.Id,
            CampaignId = lead.CampaignId,
            IdentityKey = "erased:" + EmailHash.Hash(lead.IdentityKey),
            Source = lead.Source,
            RunId = lead.RunId,
            CompanyName = lead.CompanyName,
            CompanyDomain = lead.CompanyDomain,
            Industry = lead.Industry,
            CompanySize = lead.CompanySize,
            Country = lead.Country,
            AnnualRevenue = lead.AnnualRevenue,
            // Decisions stay; their free-text reasons may quote the person (a title, a name) and go.
            Score = lead.Score is null ? null : lead.Score with { Components = [.. lead.Score.Components.Select(c => c with { Reason = Redacted })] },
            Qualification = lead.Qualification is null ? null : lead.Qualification with { Reasons = [.. lead.Qualification.Reasons.Select(_ => Redacted)] },
            Routing = lead.Routing is null ? null : lead.Routing with { Reason = Redacted },
            Nurture = lead.Nurture,
            Consent = ConsentState.Suppressed,
            Fault = lead.Fault is null ? null : lead.Fault with { Message = Redacted },
            Status = lead.Status,
            CreatedAt = lead.CreatedAt,
            UpdatedAt = now,
            Version = lead.Version + 1,
        };
        return erased;
    }
}
