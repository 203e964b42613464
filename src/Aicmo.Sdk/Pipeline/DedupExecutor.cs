using System.Diagnostics;
using Aicmo.Sdk.Diagnostics;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// Turns a candidate into a lead: the intake policy, identity key, then an insert that the store's uniqueness decides. A
/// candidate its source refused, or that carries a character the intake policy refuses (<see cref="TextPolicy"/>), is rejected
/// with its reason and never stored as a lead. A candidate that cannot be identified is still stored, disqualified with the
/// reason, so it stays visible; its key is derived from its source and record, so reading it again finds it a duplicate.
/// </summary>
internal sealed class DedupExecutor(IAuditLog audit, ILeadRepository repository, IRejectionLog rejections, TimeProvider time)
{
    private const string CreatedReason = "harvested";
    private const string NoIdentityReason = "no email address, and no company domain with a full name, to identify the person";
    private static readonly KeyValuePair<string, object?> StageTag = new("stage", StageNames.Dedup);

    /// <summary>
    /// Decides a batch of candidates: builds each one's lead, adds them to the store together with their creation events in one
    /// write (the store's uniqueness decides duplicates), and records the disqualification of a new lead that cannot be identified
    /// (stored with the lead's outcome).
    /// </summary>
    /// <param name="candidates">The candidates, with the sources that yielded them.</param>
    /// <param name="context">The dedup stage's context.</param>
    /// <param name="counters">The calling worker's counters; it is their only writer.</param>
    /// <param name="results">Receives at each candidate's index its new lead (in <see cref="LeadStatus.New"/>, or already
    /// disqualified), or <see langword="null"/> for a duplicate. At least as long as <paramref name="candidates"/>.</param>
    /// <param name="scratch">The worker's buffers, reused from batch to batch.</param>
    public async ValueTask ExecuteAsync(ReadOnlyMemory<SourcedCandidate> candidates, StageContext context, WorkerCounters counters, Lead?[] results, DedupScratch scratch)
    {
        var count = candidates.Length;
        scratch.Duplicates = 0;
        Volatile.Write(ref counters.In, counters.In + count);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var now = time.GetUtcNow();
            var created = scratch.Created;
            var identified = scratch.Identified;
            var slots = scratch.Slots;
            var accepted = 0;
            for (var i = 0; i < count; i++)
            {
                var c = candidates.Span[i];
                if ((c.Candidate.RejectionReason ?? IntakeViolation(c.Candidate)) is { } reason)
                {
                    slots[i] = -1;
                    scratch.Rejected.Add(new RejectedCandidate
                    {
                        RunId = context.RunId,
                        CampaignId = context.CampaignId,
                        Source = c.Source,
                        Position = Printable(c.Candidate.SourcePosition),
                        ExternalId = Printable(c.Candidate.ExternalId),
                        Reason = reason,
                        At = now,
                    });
                    continue;
                }

                var key = LeadIdentity.ComputeKey(c.Candidate.Email, c.Candidate.CompanyDomain, c.Candidate.FirstName, c.Candidate.LastName);
                slots[i] = accepted;
                created[accepted] = CreateLead(c.Candidate, c.Source, context, key, now);
                identified[accepted] = key is not null;
                accepted++;
            }

            if (scratch.Rejected.Count > 0)
            {
                try
                {
                    await rejections.AppendManyAsync(scratch.Rejected.Memory, CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    scratch.Rejected.Clear();
                }
            }

            // Each new lead is stored with its creation event in one write (the store keeps the events of the leads it added
            // and drops a duplicate's), so no stored lead is ever without its first event.
            var events = scratch.Events;
            if (accepted > 0)
            {
                try
                {
                    for (var a = 0; a < accepted; a++)
                    {
                        events.Add(Event(created[a], context, null, CreatedReason));
                    }

                    await LeadWrites.AddManyAsync(repository, audit, created.AsMemory(0, accepted), events.Memory, scratch.Added.AsMemory(0, accepted), CancellationToken.None)
                        .ConfigureAwait(false);
                }
                finally
                {
                    events.Clear();
                }
            }

            for (var i = 0; i < count; i++)
            {
                var slot = slots[i];
                if (slot < 0)
                {
                    results[i] = null;
                    scratch.Duplicates++;
                    WorkerCounters.Increment(ref counters.Rejected);
                    RecordProcessed("rejected");
                    continue;
                }

                var lead = created[slot];
                created[slot] = null!;
                if (!scratch.Added[slot])
                {
                    results[i] = null;
                    scratch.Duplicates++;
                    WorkerCounters.Increment(ref counters.Duplicates);
                    if (AicmoDiagnostics.Duplicates.Enabled)
                    {
                        AicmoDiagnostics.Duplicates.Add(1, StageTag);
                    }

                    continue;
                }

                results[i] = lead;
                lead.StoredVersion = lead.Version;
                if (!identified[slot])
                {
                    var from = lead.TransitionTo(LeadStatus.Disqualified, now);
                    lead.Qualification = new QualificationDecision(QualificationVerdict.Disqualified, [NoIdentityReason]);
                    (lead.UnstoredEvents ??= new List<AuditEvent>(1)).Add(Event(lead, context, from, NoIdentityReason));

                    // Counted (and stored) once, by the caller that finishes the lead.
                    RecordProcessed("disqualified");
                }
                else
                {
                    RecordProcessed("continued");
                }
            }
        }
        finally
        {
            counters.AddBusy(Stopwatch.GetTimestamp() - started);
        }
    }

    /// <summary>
    /// Returns the creation event of a lead taken over by a resumed run that never moved past its creation (version 1, in
    /// <see cref="LeadStatus.New"/>), or <see langword="null"/> for any other lead. A store without
    /// <see cref="ILeadRepository.TryAddManyWithEventsAsync"/> gets a new lead and its creation event in two writes, so an
    /// interrupted process may have stored the lead and died before its event; appending the event again is harmless, since it
    /// is the same event and a trail holds one event per sequence, so no trail is read to find out. (The built-in stores write
    /// both at once, and for them this only rewrites the stored event.)
    /// </summary>
    /// <param name="lead">The lead as stored, before the resumed run takes it (its <see cref="Lead.RunId"/> is still the harvesting run's).</param>
    /// <returns>The event, or <see langword="null"/>.</returns>
    public static AuditEvent? CreationEventToRestore(Lead lead) =>
        lead.Version == 1 && lead.Status == LeadStatus.New
            ? new AuditEvent(lead.Id, lead.CampaignId, lead.RunId, 1, StageNames.Dedup, null, LeadStatus.New, CreatedReason, lead.CreatedAt)
            : null;

    private static void RecordProcessed(string outcome)
    {
        if (AicmoDiagnostics.LeadsProcessed.Enabled)
        {
            AicmoDiagnostics.LeadsProcessed.Add(1, StageTag, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private static AuditEvent Event(Lead lead, StageContext context, LeadStatus? from, string reason) =>
        new(lead.Id, lead.CampaignId, context.RunId, lead.Version, StageNames.Dedup, from, lead.Status, reason, lead.UpdatedAt);

    /// <summary>Builds the lead of a candidate (also used by the benchmarks' hand-written baselines, to do the same work).</summary>
    internal static Lead CreateLead(LeadCandidate c, string source, StageContext context, string? key, DateTimeOffset now)
    {
        var id = LeadIds.NewVersion7(now);
        var lead = new Lead
        {
            Id = id,
            CampaignId = context.CampaignId,

            // An unidentifiable candidate gets a key derived from where it came from, so it is stored (and visible) without
            // colliding with anyone, and reading the same record again (a resumed run, a second import) finds it a duplicate.
            IdentityKey = key ?? LeadIdentity.ComputeFallbackKey(c, source),
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

    /// <summary>Finds the first field of a candidate that the intake policy refuses, and says why.</summary>
    internal static string? IntakeViolation(LeadCandidate c)
    {
        return Check(c.ExternalId, "ExternalId") ?? Check(c.FirstName, "FirstName") ?? Check(c.LastName, "LastName") ?? Check(c.Email, "Email")
            ?? Check(c.Title, "Title") ?? Check(c.Phone, "Phone") ?? Check(c.TimeZone, "TimeZone") ?? Check(c.CompanyName, "CompanyName")
            ?? Check(c.CompanyDomain, "CompanyDomain") ?? Check(c.Industry, "Industry") ?? Check(c.Country, "Country")
            ?? CheckAttributes(c.Attributes);

        static string? CheckAttributes(IDictionary<string, string>? attributes)
        {
            if (attributes is null)
            {
                return null;
            }

            foreach (var pair in attributes)
            {
                if (TextPolicy.IndexOfForbidden(pair.Key) is var k and >= 0)
                {
                    return $"an attribute name contains a control character ({TextPolicy.Describe(pair.Key[k])})";
                }

                if (Check(pair.Value, $"attribute '{pair.Key}'") is { } reason)
                {
                    return reason;
                }
            }

            return null;
        }

        static string? Check(string? value, string field) =>
            TextPolicy.IndexOfForbidden(value) is var i and >= 0
                ? $"{field} contains a control character ({TextPolicy.Describe(value![i])}) that the intake policy refuses"
                : null;
    }

    // A position or external id is kept for the user; one that itself breaks the policy is kept without the refused characters.
    private static string? Printable(string? value) =>
        value is null || TextPolicy.IndexOfForbidden(value) < 0 ? value : string.Concat(value.Where(static ch => !TextPolicy.IsForbidden(ch)));

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
