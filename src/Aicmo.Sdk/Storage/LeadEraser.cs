using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Storage;

/// <summary>
/// Erases a person's data on request, wherever a copy is kept: every campaign's lead with the address is anonymized (person
/// fields, attributes, provenance and free-text reasons removed, identity key replaced by its hash), audit reasons, outbox
/// recipients and subjects and run errors that quote the person are replaced, caches and the event buffers of running pipelines
/// forget the person (<see cref="IPersonalDataHolder"/>), and the address is kept in the suppression list only as a hash keyed
/// with <see cref="ErasureOptions.SuppressionHashKey"/>, so it is never mailed again, even when harvested anew.
/// Each erasure is recorded as the lead's last audit event, stored in one write with the anonymized lead; redaction leaves
/// erasure records as they are (<see cref="IAuditLog.RedactAsync"/>), so the record keeps its reason whenever the process stops.
/// </summary>
/// <remarks>
/// Company fields are business data and are kept; so are the lead's state, decisions and timestamps. A run or nurture pass
/// that holds the lead while it is erased loses its compare-and-set; what it appended meanwhile is redacted by a second sweep
/// at the end of the erasure.
/// </remarks>
public sealed class LeadEraser
{
    /// <summary>The text that replaces erased values.</summary>
    public const string Redacted = "[erased]";

    /// <summary>The stage name of the audit event that records an erasure.</summary>
    public const string Stage = "erasure";

    private readonly ILeadRepository _leads;
    private readonly IAuditLog _audit;
    private readonly IEmailOutbox _outbox;
    private readonly ISuppressionList _suppression;
    private readonly TimeProvider _time;
    private readonly ICampaignRepository? _campaigns;
    private readonly IRunRepository? _runs;
    private readonly SuppressionHasher _hasher;
    private readonly IPersonalDataHolder[] _holders;

    /// <summary>Initializes a new instance of the <see cref="LeadEraser"/> class that reaches the stores only.</summary>
    /// <param name="leads">The lead store.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="outbox">The email outbox.</param>
    /// <param name="suppression">The suppression list.</param>
    /// <param name="time">The clock that stamps the erasure.</param>
    public LeadEraser(ILeadRepository leads, IAuditLog audit, IEmailOutbox outbox, ISuppressionList suppression, TimeProvider time)
        : this(leads, audit, outbox, suppression, time, null, null, null, [], [])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LeadEraser"/> class.</summary>
    /// <param name="leads">The lead store.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="outbox">The email outbox.</param>
    /// <param name="suppression">The suppression list.</param>
    /// <param name="time">The clock that stamps the erasure.</param>
    /// <param name="campaigns">The campaigns, searched for the person's leads when erasing by address.</param>
    /// <param name="runs">The runs, whose recorded errors may quote the person.</param>
    /// <param name="hasher">The hashed form erased addresses are kept under.</param>
    /// <param name="holders">The holders of copies outside the stores.</param>
    /// <param name="enrichers">The enrichers; those that cache personal data are asked to forget the person.</param>
    public LeadEraser(
        ILeadRepository leads,
        IAuditLog audit,
        IEmailOutbox outbox,
        ISuppressionList suppression,
        TimeProvider time,
        ICampaignRepository? campaigns,
        IRunRepository? runs,
        SuppressionHasher? hasher,
        IEnumerable<IPersonalDataHolder> holders,
        IEnumerable<ILeadEnricher> enrichers)
    {
        _leads = leads ?? throw new ArgumentNullException(nameof(leads));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _outbox = outbox ?? throw new ArgumentNullException(nameof(outbox));
        _suppression = suppression ?? throw new ArgumentNullException(nameof(suppression));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _campaigns = campaigns;
        _runs = runs;
        _hasher = hasher ?? SuppressionHasher.Unkeyed;
        _holders = [.. (holders ?? []).Concat((enrichers ?? []).OfType<IPersonalDataHolder>()).Distinct()];
    }

    /// <summary>Erases every copy of a person, found by email address in every campaign.</summary>
    /// <param name="email">The person's address, in any case or spacing.</param>
    /// <param name="reason">Why (for example the request's reference); recorded in the audit trail, so it must not hold personal data.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>What was done, lead by lead; the address is suppressed (hashed) even when no lead holds it.</returns>
    /// <exception cref="ArgumentException">The address is empty.</exception>
    public async Task<PersonErasureResult> EraseEmailAsync(string email, string reason = "erasure requested", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var normalized = LeadIdentity.NormalizeEmail(email) ?? throw new ArgumentException("The address is empty.", nameof(email));

        // The hash goes in first: if anything after it fails, the address is already blocked and a retry finishes the rest.
        var hashed = await SuppressAsync(normalized, cancellationToken).ConfigureAwait(false);

        var results = new List<ErasureResult>();
        var erased = new List<(Guid Id, string Key, string Campaign)>();
        var campaigns = _campaigns is null ? [] : await _campaigns.ListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var campaign in campaigns)
        {
            if (await _leads.FindByIdentityAsync(campaign.Id, "e:" + normalized, cancellationToken).ConfigureAwait(false) is { } lead)
            {
                var (result, key) = await EraseOneAsync(lead.Id, reason, cancellationToken).ConfigureAwait(false);
                results.Add(result);
                if (result.Found)
                {
                    erased.Add((lead.Id, key!, lead.CampaignId));
                }
            }
        }

        var runs = await RedactRunsAsync(erased.Select(e => e.Campaign).Distinct(), [normalized], cancellationToken).ConfigureAwait(false);
        await ForgetAsync(new PersonalDataErasure(normalized, [.. erased.Select(e => e.Id)], [.. erased.Select(e => e.Key)]), cancellationToken).ConfigureAwait(false);
        await SweepAsync(erased.Select(e => e.Id), cancellationToken).ConfigureAwait(false);
        return new PersonErasureResult(hashed, results, runs);
    }

    /// <summary>Erases a lead's personal data wherever a copy of it is kept.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="reason">Why (for example the request's reference); recorded in the audit trail, so it must not hold personal data.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>What was done; <see cref="ErasureResult.Found"/> is <see langword="false"/> for an unknown lead.</returns>
    public async Task<ErasureResult> EraseLeadAsync(Guid leadId, string reason = "erasure requested", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var before = await _leads.GetAsync(leadId, cancellationToken).ConfigureAwait(false);
        var (result, key) = await EraseOneAsync(leadId, reason, cancellationToken).ConfigureAwait(false);
        if (result.Found && before is not null)
        {
            var email = LeadIdentity.NormalizeEmail(before.Email);
            await RedactRunsAsync([before.CampaignId], [.. new[] { email, before.FullName }.OfType<string>()], cancellationToken).ConfigureAwait(false);
            await ForgetAsync(new PersonalDataErasure(email, [leadId], [key!]), cancellationToken).ConfigureAwait(false);
            await SweepAsync([leadId], cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private async Task<(ErasureResult Result, string? IdentityKey)> EraseOneAsync(Guid leadId, string reason, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var lead = await _leads.GetAsync(leadId, cancellationToken).ConfigureAwait(false);
            if (lead is null)
            {
                return (new ErasureResult(leadId, false, 0, 0, null), null);
            }

            var now = _time.GetUtcNow();
            var email = lead.Email ?? (lead.IdentityKey.StartsWith("e:", StringComparison.Ordinal) ? lead.IdentityKey[2..] : null);
            var hashed = email is null ? null : await SuppressAsync(email, cancellationToken).ConfigureAwait(false);

            var expected = lead.Version;
            var anonymized = Anonymize(lead, now);
            var record = new AuditEvent(leadId, lead.CampaignId, lead.RunId, anonymized.Version, Stage, lead.Status, lead.Status, "personal data erased: " + reason, now);

            // The record is stored with the anonymized lead in one write, and never written again: redaction leaves erasure
            // records as they are.
            if (!await LeadWrites.EraseAsync(_leads, _audit, anonymized, expected, new[] { record }, cancellationToken).ConfigureAwait(false))
            {
                if (attempt < 5)
                {
                    continue;
                }

                throw new InvalidOperationException($"Lead {leadId} kept changing while it was being erased; try again.");
            }

            var events = await _audit.RedactAsync(leadId, Redacted, cancellationToken).ConfigureAwait(false);
            var entries = await _outbox.RedactAsync(leadId, Redacted, cancellationToken).ConfigureAwait(false);
            return (new ErasureResult(leadId, true, events, entries, hashed), lead.IdentityKey);
        }
    }

    private async Task<string?> SuppressAsync(string email, CancellationToken cancellationToken)
    {
        var hashed = _hasher.Hash(email);
        if (hashed is not null)
        {
            await _suppression.AddAsync(new SuppressionEntry(hashed, SuppressionReason.Erased, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            await _suppression.RemoveAsync(email, cancellationToken).ConfigureAwait(false);
        }

        return hashed;
    }

    // Run records keep the errors that failed a stage or a run; one that quotes the person is replaced.
    private async Task<int> RedactRunsAsync(IEnumerable<string> campaignIds, IReadOnlyCollection<string> quotes, CancellationToken cancellationToken)
    {
        if (_runs is null || quotes.Count == 0)
        {
            return 0;
        }

        var changed = 0;
        foreach (var campaignId in campaignIds)
        {
            foreach (var run in await _runs.ListAsync(campaignId, cancellationToken).ConfigureAwait(false))
            {
                if (run.Errors.Any(e => quotes.Any(q => e.Contains(q, StringComparison.OrdinalIgnoreCase))))
                {
                    var errors = run.Errors.Select(e => quotes.Any(q => e.Contains(q, StringComparison.OrdinalIgnoreCase)) ? Redacted : e).ToArray();
                    await _runs.SaveAsync(run with { Errors = errors }, cancellationToken).ConfigureAwait(false);
                    changed++;
                }
            }
        }

        return changed;
    }

    private async Task ForgetAsync(PersonalDataErasure erasure, CancellationToken cancellationToken)
    {
        foreach (var holder in _holders)
        {
            await holder.ForgetAsync(erasure, cancellationToken).ConfigureAwait(false);
        }
    }

    // A run or nurture pass that held the lead while it was erased may have appended or reserved since: redact once more.
    private async Task SweepAsync(IEnumerable<Guid> leadIds, CancellationToken cancellationToken)
    {
        foreach (var leadId in leadIds)
        {
            await _audit.RedactAsync(leadId, Redacted, cancellationToken).ConfigureAwait(false);
            await _outbox.RedactAsync(leadId, Redacted, cancellationToken).ConfigureAwait(false);
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
            // Decisions stay; their free-text reasons may quote the person (a title, a name, a server's reply) and go.
            Score = lead.Score is null ? null : lead.Score with { Components = [.. lead.Score.Components.Select(c => c with { Reason = Redacted })] },
            Qualification = lead.Qualification is null ? null : lead.Qualification with { Reasons = [.. lead.Qualification.Reasons.Select(_ => Redacted)] },
            Routing = lead.Routing is null ? null : lead.Routing with { Reason = Redacted },
            Nurture = lead.Nurture is null ? null : lead.Nurture with { Reason = Redacted, NextStepDueAt = null },
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
