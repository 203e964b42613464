namespace Aicmo.Sdk.Domain;

/// <summary>
/// A lead moving through a campaign: identity, person, company, attributes, the decision of every stage,
/// its lifecycle state and a version for optimistic concurrency.
/// </summary>
/// <remarks>
/// A lead is owned by one worker at a time while it moves through the pipeline; it is not thread-safe.
/// Change <see cref="Status"/> only through <see cref="TransitionTo"/>, which validates the move.
/// </remarks>
public sealed class Lead
{
    private Dictionary<string, string>? _attributes;
    private Dictionary<string, FieldProvenance>? _provenance;

    /// <summary>Gets or sets the lead's id.</summary>
    public Guid Id { get; set; }

    /// <summary>Gets or sets the campaign the lead belongs to.</summary>
    public string CampaignId { get; set; } = string.Empty;

    /// <summary>Gets or sets the normalized identity key; unique per campaign. See <see cref="Identity.LeadIdentity"/>.</summary>
    public string IdentityKey { get; set; } = string.Empty;

    /// <summary>Gets or sets the name of the source that yielded the lead.</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>Gets or sets the source's own id for the record.</summary>
    public string? ExternalId { get; set; }

    /// <summary>Gets or sets the run that harvested the lead.</summary>
    public Guid RunId { get; set; }

    /// <summary>Gets or sets the given name.</summary>
    public string? FirstName { get; set; }

    /// <summary>Gets or sets the family name.</summary>
    public string? LastName { get; set; }

    /// <summary>Gets the full name built from the given and family names, or <see langword="null"/> when both are empty.</summary>
    public string? FullName => (FirstName, LastName) switch
    {
        (null or "", null or "") => null,
        (null or "", var last) => last,
        (var first, null or "") => first,
        var (first, last) => string.Concat(first, " ", last),
    };

    /// <summary>Gets or sets the email address (trimmed, as given; the identity key holds the normalized form).</summary>
    public string? Email { get; set; }

    /// <summary>Gets or sets the job title.</summary>
    public string? Title { get; set; }

    /// <summary>Gets or sets the phone number.</summary>
    public string? Phone { get; set; }

    /// <summary>Gets or sets the IANA time zone id of the person.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Gets or sets the company name.</summary>
    public string? CompanyName { get; set; }

    /// <summary>Gets or sets the company's web domain.</summary>
    public string? CompanyDomain { get; set; }

    /// <summary>Gets or sets the company's industry.</summary>
    public string? Industry { get; set; }

    /// <summary>Gets or sets the number of employees.</summary>
    public int? CompanySize { get; set; }

    /// <summary>Gets or sets the country code.</summary>
    public string? Country { get; set; }

    /// <summary>Gets or sets the annual revenue in US dollars.</summary>
    public decimal? AnnualRevenue { get; set; }

    /// <summary>Gets the extensible attribute bag (intent signals, custom fields).</summary>
    public IDictionary<string, string> Attributes => _attributes ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets whether the lead carries any attribute, without allocating the bag.</summary>
    public bool HasAttributes => _attributes is { Count: > 0 };

    /// <summary>Gets where each enriched field came from, keyed by field name.</summary>
    public IDictionary<string, FieldProvenance> Provenance => _provenance ??= new Dictionary<string, FieldProvenance>(StringComparer.Ordinal);

    /// <summary>Gets whether any field carries enrichment provenance, without allocating the map.</summary>
    public bool HasProvenance => _provenance is { Count: > 0 };

    /// <summary>Gets the attribute bag if it was ever created, typed, for enumeration without a boxed enumerator.</summary>
    internal Dictionary<string, string>? AttributeMap => _attributes;

    /// <summary>Gets the provenance map if it was ever created, typed, for enumeration without a boxed enumerator.</summary>
    internal Dictionary<string, FieldProvenance>? ProvenanceMap => _provenance;

    /// <summary>Gets or sets the score and its components.</summary>
    public LeadScore? Score { get; set; }

    /// <summary>Gets or sets the qualification decision and its reasons.</summary>
    public QualificationDecision? Qualification { get; set; }

    /// <summary>Gets or sets the routing decision.</summary>
    public RoutingDecision? Routing { get; set; }

    /// <summary>Gets or sets the nurture state.</summary>
    public NurtureState? Nurture { get; set; }

    /// <summary>Gets or sets the consent and suppression state.</summary>
    public ConsentState Consent { get; set; }

    /// <summary>Gets or sets the details of the failure that quarantined the lead.</summary>
    public LeadFault? Fault { get; set; }

    /// <summary>Gets or sets the lifecycle state. Use <see cref="TransitionTo"/> to change it.</summary>
    public LeadStatus Status { get; set; }

    /// <summary>Gets or sets when the lead was first harvested.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Gets or sets when the lead last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Gets or sets the version, incremented by every state change; stores use it for compare-and-set updates.</summary>
    public long Version { get; set; }

    /// <summary>Gets or sets the version the store last confirmed; the expected version of the next compare-and-set.</summary>
    internal long StoredVersion { get; set; }

    /// <summary>
    /// Gets or sets the audit events of the changes made since the lead was last stored, to be written together with its next
    /// compare-and-set (see <see cref="Storage.ILeadRepository.UpdateManyWithEventsAsync"/>).
    /// </summary>
    internal List<AuditEvent>? UnstoredEvents { get; set; }

    /// <summary>Moves the lead to <paramref name="to"/> after validating the transition, and bumps the version.</summary>
    /// <param name="to">The new state.</param>
    /// <param name="at">When the change happened.</param>
    /// <returns>The previous state.</returns>
    /// <exception cref="InvalidLeadTransitionException">The transition is not legal.</exception>
    public LeadStatus TransitionTo(LeadStatus to, DateTimeOffset at)
    {
        var from = Status;
        LeadStateMachine.EnsureTransition(from, to);
        Status = to;
        UpdatedAt = at;
        Version++;
        return from;
    }

    /// <summary>Takes the lead back to an earlier state for a backlog run (<see cref="LeadStateMachine.CanReenter"/>), and bumps the version.</summary>
    /// <param name="to">The state the backlog's first stage takes leads in.</param>
    /// <param name="at">When the change happened.</param>
    /// <returns>The previous state.</returns>
    /// <exception cref="InvalidLeadTransitionException">The lead may not go back to <paramref name="to"/>.</exception>
    internal LeadStatus ReenterAt(LeadStatus to, DateTimeOffset at)
    {
        var from = Status;
        if (!LeadStateMachine.CanReenter(from, to))
        {
            throw new InvalidLeadTransitionException(from, to);
        }

        if (from == LeadStatus.Quarantined)
        {
            // Released: the fault stays in the audit trail, not on a lead that is being processed again.
            Fault = null;
        }

        Status = to;
        UpdatedAt = at;
        Version++;
        return from;
    }

    /// <summary>Creates a copy that shares the immutable decision objects but owns its own attribute and provenance maps.</summary>
    /// <returns>A snapshot of this lead.</returns>
    public Lead Clone()
    {
        var copy = (Lead)MemberwiseClone();
        copy.UnstoredEvents = null;
        copy._attributes = _attributes is { Count: > 0 } ? new Dictionary<string, string>(_attributes, StringComparer.OrdinalIgnoreCase) : null;
        copy._provenance = _provenance is { Count: > 0 } ? new Dictionary<string, FieldProvenance>(_provenance, StringComparer.Ordinal) : null;
        return copy;
    }

    /// <inheritdoc />
    public override string ToString() => $"Lead {Id} ({IdentityKey}, {Status}, v{Version})";
}
