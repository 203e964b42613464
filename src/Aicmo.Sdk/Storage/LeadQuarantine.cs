using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>
/// Quarantines the leads of a batch a transport gave up on (a parked batch), and releases them when the batch is replayed.
/// </summary>
/// <remarks>
/// <para>
/// A parked batch's leads are still in the state the stage expected when they were sent. <see cref="QuarantineAsync"/> moves
/// each of them to <see cref="LeadStatus.Quarantined"/> with a <see cref="LeadFault"/> of type <see cref="ParkedErrorType"/>
/// naming the stage and the reason, and an audit event, in one compare-and-set write per lead; a lead that moved on in the
/// meantime (it reached an outcome, or is already quarantined) is left as it is.
/// </para>
/// <para>
/// <see cref="ReleaseAsync"/> takes the leads a parked batch quarantined back to the state they were in before (read from
/// their trail, <see cref="LeadStatus.New"/> when the trail no longer says), so the stage takes them again when the batch is
/// replayed. Both are idempotent: calling them again changes nothing.
/// </para>
/// </remarks>
/// <param name="leads">The lead store.</param>
/// <param name="audit">The audit trail, read to find the state a lead was quarantined from.</param>
/// <param name="timeProvider">The clock.</param>
public sealed class LeadQuarantine(ILeadRepository leads, IAuditLog audit, TimeProvider timeProvider)
{
    /// <summary>The <see cref="LeadFault.ErrorType"/> of a lead quarantined because its batch was parked.</summary>
    public const string ParkedErrorType = "ParkedBatch";

    private const int MaxWriteAttempts = 5;

    /// <summary>Quarantines the leads of a parked batch that are still waiting for a stage.</summary>
    /// <param name="leadIds">The batch's leads.</param>
    /// <param name="runId">The run the batch belongs to; the audit events name it.</param>
    /// <param name="stage">The stage that was to work on the batch.</param>
    /// <param name="reason">Why the batch was parked (the last attempt's error, or the broker's reason).</param>
    /// <param name="attempts">How many times the batch was tried.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>How many leads this call quarantined.</returns>
    public async Task<int> QuarantineAsync(IReadOnlyList<Guid> leadIds, Guid runId, string stage, string reason, int attempts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leadIds);
        ArgumentException.ThrowIfNullOrEmpty(stage);
        ArgumentNullException.ThrowIfNull(reason);
        var clean = TextPolicy.RemoveForbidden(reason);
        var quarantined = 0;
        foreach (var id in leadIds)
        {
            if (await WriteAsync(id, lead => Quarantine(lead, runId, stage, clean, attempts), read: null, cancellationToken).ConfigureAwait(false))
            {
                quarantined++;
            }
        }

        return quarantined;
    }

    /// <summary>Takes the leads a parked batch quarantined back to the state they were in, so that a replay of the batch finds them there.</summary>
    /// <param name="leadIds">The batch's leads.</param>
    /// <param name="runId">The run the replay belongs to; the audit events name it.</param>
    /// <param name="stage">The stage the batch is replayed to; only leads quarantined by a batch parked at it are released.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>How many leads this call released.</returns>
    public async Task<int> ReleaseAsync(IReadOnlyList<Guid> leadIds, Guid runId, string stage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leadIds);
        ArgumentException.ThrowIfNullOrEmpty(stage);
        var released = 0;
        foreach (var id in leadIds)
        {
            if (await ReleaseOneAsync(id, runId, stage, cancellationToken).ConfigureAwait(false))
            {
                released++;
            }
        }

        return released;
    }

    private AuditEvent? Quarantine(Lead lead, Guid runId, string stage, string reason, int attempts)
    {
        var waiting = !LeadStateMachine.IsTerminalForPipeline(lead.Status) && !(lead.Status == LeadStatus.Routed && lead.Nurture is not null);
        if (!waiting)
        {
            return null;
        }

        var now = timeProvider.GetUtcNow();
        lead.Fault = new LeadFault(stage, ParkedErrorType, reason, attempts);
        var from = lead.TransitionTo(LeadStatus.Quarantined, now);
        return new AuditEvent(lead.Id, lead.CampaignId, runId, lead.Version, stage, from, LeadStatus.Quarantined, $"{ParkedErrorType}: {reason}", now);
    }

    private async Task<bool> ReleaseOneAsync(Guid id, Guid runId, string stage, CancellationToken cancellationToken)
    {
        var lead = await leads.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (!IsParkedAt(lead, stage))
        {
            return false;
        }

        // The state before the quarantine is the one the stage expects: the trail's last move into quarantine says it.
        var trail = await audit.ReadAsync(id, cancellationToken).ConfigureAwait(false);
        var before = trail.LastOrDefault(e => e.To == LeadStatus.Quarantined)?.From ?? LeadStatus.New;
        return await WriteAsync(
            id,
            l =>
            {
                if (!IsParkedAt(l, stage))
                {
                    return null;
                }

                var now = timeProvider.GetUtcNow();
                l.Fault = null;
                l.Status = before;
                l.UpdatedAt = now;
                l.Version++;
                return new AuditEvent(l.Id, l.CampaignId, runId, l.Version, stage, LeadStatus.Quarantined, before, "released: its parked batch is replayed", now);
            },
            lead,
            cancellationToken).ConfigureAwait(false);
    }

    private static bool IsParkedAt(Lead? lead, string stage) =>
        lead is { Status: LeadStatus.Quarantined, Fault: { ErrorType: ParkedErrorType } fault } && string.Equals(fault.Stage, stage, StringComparison.Ordinal);

    // Reads the lead, lets change make its change (or none), and stores it with its event by compare-and-set, reading again
    // when another writer got there first.
    private async Task<bool> WriteAsync(Guid id, Func<Lead, AuditEvent?> change, Lead? read, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var lead = attempt == 0 && read is not null ? read : await leads.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (lead is null)
            {
                return false;
            }

            var expected = lead.Version;
            if (change(lead) is not { } auditEvent)
            {
                return false;
            }

            if (await leads.UpdateWithEventsAsync(lead, expected, new[] { auditEvent }, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }

        throw new InvalidOperationException($"Lead {id} kept changing while it was being quarantined or released ({MaxWriteAttempts} attempts).");
    }
}
