using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>Stores leads. Uniqueness of (campaign, identity key) is enforced here, not by check-then-insert in callers.</summary>
/// <remarks>Implementations must be thread-safe.</remarks>
public interface ILeadRepository
{
    /// <summary>Adds a lead unless one with the same campaign and identity key exists.</summary>
    /// <param name="lead">The lead; its <see cref="Lead.Version"/> is stored as is.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when added; <see langword="false"/> when the identity was already taken (a duplicate).</returns>
    ValueTask<bool> TryAddAsync(Lead lead, CancellationToken cancellationToken = default);

    /// <summary>Replaces a stored lead if its stored version is still <paramref name="expectedVersion"/> (compare-and-set).</summary>
    /// <param name="lead">The new state of the lead, with its new version.</param>
    /// <param name="expectedVersion">The version the caller last read.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when replaced; <see langword="false"/> when the lead is missing or another writer got there first.</returns>
    ValueTask<bool> UpdateAsync(Lead lead, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds several leads, each unless one with the same campaign and identity key exists (a lead earlier in
    /// <paramref name="leads"/> counts as existing). The pipeline stores what it harvests through this method, a batch at a time.
    /// </summary>
    /// <remarks>
    /// The default implementation calls <see cref="TryAddAsync"/> for each lead in order. A store that can write several rows in
    /// one round trip or one transaction should override it: it is the hot path of every run. Either every lead is decided
    /// (added or a duplicate) or the call throws; a store that throws part-way must not leave the leads it reported nothing on half added.
    /// </remarks>
    /// <param name="leads">The leads; each one's <see cref="Lead.Version"/> is stored as is.</param>
    /// <param name="added">Receives, at each lead's index, <see langword="true"/> when it was added and <see langword="false"/> for a duplicate.
    /// At least as long as <paramref name="leads"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when every lead has been decided.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="added"/> is shorter than <paramref name="leads"/>.</exception>
    async ValueTask TryAddManyAsync(ReadOnlyMemory<Lead> leads, Memory<bool> added, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(added.Length, leads.Length, nameof(added));
        for (var i = 0; i < leads.Length; i++)
        {
            var result = await TryAddAsync(leads.Span[i], cancellationToken).ConfigureAwait(false);
            added.Span[i] = result;
        }
    }

    /// <summary>
    /// Adds several leads (see <see cref="TryAddManyAsync"/>) and appends, for each lead added, its audit events (its creation),
    /// in one atomic write: a lead that is stored is stored with its events, and the events of a duplicate (a lead that was not
    /// added) are never stored. Appending follows <see cref="IAuditLog"/>: one event per sequence in a lead's trail.
    /// </summary>
    /// <remarks>
    /// The built-in stores write the events into their own audit log, in the same transaction as the leads (SQLite: one savepoint;
    /// PostgreSQL: one statement) or under the lead's trail lock (in memory). The default implementation throws
    /// <see cref="NotSupportedException"/>; the pipeline then adds the leads with <see cref="TryAddManyAsync"/> and appends the
    /// events of those added through <see cref="IAuditLog"/> afterwards, which leaves a crash between the two writes able to
    /// store a lead without its creation event (a resumed run appends it again).
    /// </remarks>
    /// <param name="leads">The leads; each one's <see cref="Lead.Version"/> is stored as is.</param>
    /// <param name="auditEvents">The events, in order; each belongs to a lead of <paramref name="leads"/>.</param>
    /// <param name="added">Receives, at each lead's index, <see langword="true"/> when it was added (with its events) and
    /// <see langword="false"/> for a duplicate. At least as long as <paramref name="leads"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when every lead has been decided.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="added"/> is shorter than <paramref name="leads"/>.</exception>
    /// <exception cref="ArgumentException">An event belongs to no lead of <paramref name="leads"/>.</exception>
    ValueTask TryAddManyWithEventsAsync(ReadOnlyMemory<Lead> leads, ReadOnlyMemory<AuditEvent> auditEvents, Memory<bool> added, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not store audit events with its leads.");

    /// <summary>Applies several compare-and-set updates (see <see cref="UpdateAsync"/>); each succeeds or fails on its own.</summary>
    /// <remarks>
    /// The default implementation calls <see cref="UpdateAsync"/> for each update in order. A store that can write several rows in
    /// one round trip or one transaction should override it: the pipeline stores the leads that reach an outcome through it.
    /// </remarks>
    /// <param name="updates">The leads with the versions their callers last read. A lead appears at most once.</param>
    /// <param name="updated">Receives, at each update's index, whether it was applied. At least as long as <paramref name="updates"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when every update has been applied or refused.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="updated"/> is shorter than <paramref name="updates"/>.</exception>
    async ValueTask UpdateManyAsync(ReadOnlyMemory<LeadUpdate> updates, Memory<bool> updated, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(updated.Length, updates.Length, nameof(updated));
        for (var i = 0; i < updates.Length; i++)
        {
            var update = updates.Span[i];
            var result = await UpdateAsync(update.Lead, update.ExpectedVersion, cancellationToken).ConfigureAwait(false);
            updated.Span[i] = result;
        }
    }

    /// <summary>
    /// Applies several compare-and-set updates (see <see cref="UpdateAsync"/>) and appends, for
    /// each update applied, the audit events of its lead, in one atomic write per lead: a lead's new state and its events are
    /// stored together or not at all, and the events of an update that was refused (another writer got there first) are never
    /// stored. Appending follows <see cref="IAuditLog"/>: one event per sequence in a lead's trail, the last appended winning.
    /// </summary>
    /// <remarks>
    /// The built-in stores write the events into their own audit log (the one their <c>Use…</c> method registers), in the same
    /// transaction as the leads (SQLite, PostgreSQL) or under the lead's trail lock (in memory). The default implementation throws
    /// <see cref="NotSupportedException"/>; the pipeline then stores the leads with <see cref="UpdateManyAsync"/>
    /// and appends the events of those stored through <see cref="IAuditLog"/> afterwards, which keeps events of refused updates
    /// out but leaves a crash between the two writes able to lose events.
    /// </remarks>
    /// <param name="updates">The leads with the versions their callers last read. A lead appears at most once.</param>
    /// <param name="auditEvents">The events, in order; each belongs to a lead of <paramref name="updates"/>.</param>
    /// <param name="updated">Receives, at each update's index, whether it was applied. At least as long as <paramref name="updates"/>.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when every update has been applied (with its events) or refused.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="updated"/> is shorter than <paramref name="updates"/>.</exception>
    /// <exception cref="ArgumentException">An event belongs to no lead of <paramref name="updates"/>.</exception>
    ValueTask UpdateManyWithEventsAsync(ReadOnlyMemory<LeadUpdate> updates, ReadOnlyMemory<AuditEvent> auditEvents, Memory<bool> updated, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not store audit events with its leads.");

    /// <summary>
    /// Applies one compare-and-set update and, when it is applied, appends the lead's audit events in the same atomic write (see
    /// <see cref="UpdateManyWithEventsAsync"/>).
    /// </summary>
    /// <remarks>The default implementation calls that method with one update.</remarks>
    /// <param name="lead">The new state of the lead, with its new version.</param>
    /// <param name="expectedVersion">The version the caller last read.</param>
    /// <param name="auditEvents">The lead's events, in order.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when the lead and its events were stored; <see langword="false"/> when the lead is missing or another writer got there first (nothing was stored).</returns>
    async ValueTask<bool> UpdateWithEventsAsync(Lead lead, long expectedVersion, ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken = default)
    {
        var updated = new bool[1];
        await UpdateManyWithEventsAsync(new[] { new LeadUpdate(lead, expectedVersion) }, auditEvents, updated, cancellationToken).ConfigureAwait(false);
        return updated[0];
    }

    /// <summary>Gets a lead by id.</summary>
    /// <param name="leadId">The lead id.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A snapshot of the lead, or <see langword="null"/>.</returns>
    ValueTask<Lead?> GetAsync(Guid leadId, CancellationToken cancellationToken = default);

    /// <summary>Gets several leads by id, in one round trip where the store can.</summary>
    /// <remarks>
    /// The default implementation calls <see cref="GetAsync"/> for each id in order. A store that can read several rows in one
    /// query should override it: a transport that carries lead ids between processes reads every delivered batch through it.
    /// Each lead is a snapshot of its own; the snapshots are not taken at one instant.
    /// </remarks>
    /// <param name="leadIds">The lead ids; an id may appear more than once.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>At each id's index, a snapshot of the lead (a separate object per index), or <see langword="null"/> when no lead has that id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="leadIds"/> is <see langword="null"/>.</exception>
    async ValueTask<IReadOnlyList<Lead?>> GetManyAsync(IReadOnlyList<Guid> leadIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leadIds);
        var leads = new Lead?[leadIds.Count];
        for (var i = 0; i < leads.Length; i++)
        {
            leads[i] = await GetAsync(leadIds[i], cancellationToken).ConfigureAwait(false);
        }

        return leads;
    }

    /// <summary>Gets a lead by campaign and identity key.</summary>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="identityKey">The normalized identity key.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A snapshot of the lead, or <see langword="null"/>.</returns>
    ValueTask<Lead?> FindByIdentityAsync(string campaignId, string identityKey, CancellationToken cancellationToken = default);

    /// <summary>Lists a campaign's leads, optionally in one state, ordered by creation time then id.</summary>
    /// <param name="query">What to list.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>One page of leads.</returns>
    ValueTask<IReadOnlyList<Lead>> QueryAsync(LeadQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists one page of the leads a run answers for (<see cref="Lead.RunId"/>), optionally only those in some states, ordered by
    /// id and starting after a key (keyset paging). Unlike paging with an offset, a lead whose state changes while the pages are
    /// read is neither skipped nor read twice: a lead is found on at most one page, and every lead that matches throughout is found.
    /// </summary>
    /// <param name="query">What to list.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>One page of leads, ordered by id; fewer than <see cref="LeadRunQuery.Take"/> only on the last page.</returns>
    ValueTask<IReadOnlyList<Lead>> ListByRunAsync(LeadRunQuery query, CancellationToken cancellationToken = default);

    /// <summary>Counts a campaign's leads, optionally in one state.</summary>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="status">The state, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The count.</returns>
    ValueTask<long> CountAsync(string campaignId, LeadStatus? status = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a lead with its anonymized form after an erasure request, identity key included, if its stored version is still
    /// <paramref name="expectedVersion"/> (compare-and-set). Used by <see cref="LeadEraser"/>; pipelines never change an identity key.
    /// </summary>
    /// <remarks>The default implementation throws <see cref="NotSupportedException"/>: a store that keeps personal data must implement it.</remarks>
    /// <param name="anonymized">The lead without personal data, with its new identity key and version.</param>
    /// <param name="expectedVersion">The version the caller last read.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when replaced; <see langword="false"/> when the lead is missing or another writer got there first.</returns>
    ValueTask<bool> EraseAsync(Lead anonymized, long expectedVersion, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not support erasure.");

    /// <summary>
    /// Replaces a lead with its anonymized form (see <see cref="EraseAsync"/>) and, when it is
    /// replaced, appends its audit events (the erasure's record) in the same atomic write.
    /// </summary>
    /// <remarks>
    /// The default implementation throws <see cref="NotSupportedException"/>; <see cref="LeadEraser"/> then erases with
    /// <see cref="EraseAsync"/> and appends the record through <see cref="IAuditLog"/> afterwards.
    /// </remarks>
    /// <param name="anonymized">The lead without personal data, with its new identity key and version.</param>
    /// <param name="expectedVersion">The version the caller last read.</param>
    /// <param name="auditEvents">The lead's events, in order.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when replaced (with its events); <see langword="false"/> when the lead is missing or another writer got there first.</returns>
    ValueTask<bool> EraseWithEventsAsync(Lead anonymized, long expectedVersion, ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not store audit events with its leads.");

    /// <summary>Counts a campaign's leads per state (the funnel), optionally only those harvested by one run.</summary>
    /// <remarks>
    /// The default implementation asks <see cref="CountAsync"/> once per state, or pages through <see cref="QueryAsync"/> for a run;
    /// stores override it with one grouped query.
    /// </remarks>
    /// <param name="campaignId">The campaign.</param>
    /// <param name="runId">The run that harvested the leads, or <see langword="null"/> for every lead of the campaign.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The count per state; states without leads are left out.</returns>
    async ValueTask<IReadOnlyDictionary<LeadStatus, long>> CountByStatusAsync(string campaignId, Guid? runId = null, CancellationToken cancellationToken = default)
    {
        var counts = new Dictionary<LeadStatus, long>();
        if (runId is null)
        {
            foreach (var status in Enum.GetValues<LeadStatus>())
            {
                var n = await CountAsync(campaignId, status, cancellationToken).ConfigureAwait(false);
                if (n > 0)
                {
                    counts[status] = n;
                }
            }

            return counts;
        }

        const int Page = 1000;
        for (var skip = 0; ; skip += Page)
        {
            var page = await QueryAsync(new LeadQuery { CampaignId = campaignId, Skip = skip, Take = Page }, cancellationToken).ConfigureAwait(false);
            foreach (var lead in page)
            {
                if (lead.RunId == runId)
                {
                    counts[lead.Status] = counts.GetValueOrDefault(lead.Status) + 1;
                }
            }

            if (page.Count < Page)
            {
                return counts;
            }
        }
    }
}
