using System.Diagnostics;
using Aicmo.Sdk.Diagnostics;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// Turns a candidate into a lead: identity key, then an insert that the store's uniqueness decides. A candidate that cannot be
/// identified is still stored, disqualified with the reason, so it stays visible.
/// </summary>
internal sealed class DedupExecutor(IAuditLog audit, ILeadRepository leads, TimeProvider time)
{
    private const string CreatedReason = "harvested";
    private const string NoIdentityReason = "no email address, and no company domain with a full name, to identify the person";
    private static readonly KeyValuePair<string, object?> StageTag = new("stage", StageNames.Dedup);

    /// <summary>Returns the new lead (in <see cref="LeadStatus.New"/>, or already disqualified), or <see langword="null"/> for a duplicate.</summary>
    /// <remarks><paramref name="counters"/> belong to the calling worker, which is their only writer.</remarks>
    public async ValueTask<Lead?> ExecuteAsync(LeadCandidate candidate, string source, StageContext context, WorkerCounters counters)
    {
        WorkerCounters.Increment(ref counters.In);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await ExecuteCoreAsync(candidate, source, context, counters).ConfigureAwait(false);
        }
        finally
        {
            counters.AddBusy(Stopwatch.GetTimestamp() - started);
        }
    }

    private async ValueTask<Lead?> ExecuteCoreAsync(LeadCandidate candidate, string source, StageContext context, WorkerCounters counters)
    {
        var now = time.GetUtcNow();
        var key = LeadIdentity.ComputeKey(candidate.Email, candidate.CompanyDomain, candidate.FirstName, candidate.LastName);
        var lead = CreateLead(candidate, source, context, key, now);
        if (!await leads.TryAddAsync(lead, CancellationToken.None).ConfigureAwait(false))
        {
            WorkerCounters.Increment(ref counters.Duplicates);
            if (AicmoDiagnostics.Duplicates.Enabled)
            {
                AicmoDiagnostics.Duplicates.Add(1, StageTag);
            }

            return null;
        }

        lead.StoredVersion = lead.Version;
        await Append(lead, context, null, CreatedReason).ConfigureAwait(false);
        if (key is null)
        {
            var from = lead.TransitionTo(LeadStatus.Disqualified, now);
            lead.Qualification = new QualificationDecision(QualificationVerdict.Disqualified, [NoIdentityReason]);
            await Append(lead, context, from, NoIdentityReason).ConfigureAwait(false);

            // Counted (and stored) once, by the caller that finishes the lead.
            RecordProcessed("disqualified");
            return lead;
        }

        RecordProcessed("continued");
        return lead;
    }

    /// <summary>
    /// Records the creation event of a lead taken over by a resumed run, when it is missing: the interrupted process stored the
    /// lead and died before recording that it had.
    /// </summary>
    public async ValueTask EnsureCreationRecordedAsync(Lead lead, CancellationToken cancellationToken)
    {
        if (lead.Version != 1 || lead.Status != LeadStatus.New)
        {
            return;
        }

        var trail = await audit.ReadAsync(lead.Id, cancellationToken).ConfigureAwait(false);
        if (!trail.Any(static e => e.Sequence == 1))
        {
            await audit.AppendAsync(
                new AuditEvent(lead.Id, lead.CampaignId, lead.RunId, 1, StageNames.Dedup, null, LeadStatus.New, CreatedReason, lead.CreatedAt),
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static void RecordProcessed(string outcome)
    {
        if (AicmoDiagnostics.LeadsProcessed.Enabled)
        {
            AicmoDiagnostics.LeadsProcessed.Add(1, StageTag, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private ValueTask Append(Lead lead, StageContext context, LeadStatus? from, string reason) =>
        audit.AppendAsync(
            new AuditEvent(lead.Id, lead.CampaignId, context.RunId, lead.Version, StageNames.Dedup, from, lead.Status, reason, lead.UpdatedAt),
            CancellationToken.None);

    private static Lead CreateLead(LeadCandidate c, string source, StageContext context, string? key, DateTimeOffset now)
    {
        var id = LeadIds.NewVersion7(now);
        var lead = new Lead
        {
            Id = id,
            CampaignId = context.CampaignId,

            // An unidentifiable candidate gets a key of its own, so it is stored (and visible) without colliding with anyone.
            IdentityKey = key ?? string.Concat("x:", id.ToString("N")),
            Source = source,
            ExternalId = c.ExternalId,
            RunId = context.RunId,
            FirstName = Clean(c.FirstName),
            LastName = Clean(c.LastName),
            Email = Clean(c.Email),
            Title = Clean(c.Title),
            Phone = Clean(c.Phone),
            TimeZone = Clean(c.TimeZone),
            CompanyName = Clean(c.CompanyName),
            CompanyDomain = LeadIdentity.NormalizeDomain(c.CompanyDomain),
            Industry = Clean(c.Industry),
            CompanySize = c.CompanySize,
            Country = Clean(c.Country),
            AnnualRevenue = c.AnnualRevenue,
            Status = LeadStatus.New,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        if (c.Attributes is { Count: > 0 } attributes)
        {
            foreach (var pair in attributes)
            {
                lead.Attributes[pair.Key] = pair.Value;
            }
        }

        return lead;
    }

    private static string? Clean(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length == 0 || (!char.IsWhiteSpace(value[0]) && !char.IsWhiteSpace(value[^1])))
        {
            return value.Length == 0 ? null : value;
        }

        var trimmed = value.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }
}
