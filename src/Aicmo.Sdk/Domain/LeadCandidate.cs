namespace Aicmo.Sdk.Domain;

/// <summary>
/// A raw record as a source yields it, before identity, dedup and validation.
/// Every field is optional; the pipeline decides what a candidate without enough data becomes, and says why.
/// </summary>
public sealed class LeadCandidate
{
    /// <summary>Gets or sets the source's own id for the record, used for tracing back to the origin.</summary>
    public string? ExternalId { get; set; }

    /// <summary>Gets or sets the given name.</summary>
    public string? FirstName { get; set; }

    /// <summary>Gets or sets the family name.</summary>
    public string? LastName { get; set; }

    /// <summary>Gets or sets the email address, as the source spelled it.</summary>
    public string? Email { get; set; }

    /// <summary>Gets or sets the job title.</summary>
    public string? Title { get; set; }

    /// <summary>Gets or sets the phone number.</summary>
    public string? Phone { get; set; }

    /// <summary>Gets or sets the IANA time zone id of the person (for example <c>Europe/Berlin</c>).</summary>
    public string? TimeZone { get; set; }

    /// <summary>Gets or sets the company name.</summary>
    public string? CompanyName { get; set; }

    /// <summary>Gets or sets the company's web domain.</summary>
    public string? CompanyDomain { get; set; }

    /// <summary>Gets or sets the company's industry.</summary>
    public string? Industry { get; set; }

    /// <summary>Gets or sets the number of employees.</summary>
    public int? CompanySize { get; set; }

    /// <summary>Gets or sets the ISO 3166 alpha-2 country code (or a country name, which enrichment normalizes).</summary>
    public string? Country { get; set; }

    /// <summary>Gets or sets the annual revenue in US dollars.</summary>
    public decimal? AnnualRevenue { get; set; }

    /// <summary>Gets or sets free-form attributes (intent signals, custom fields). May be <see langword="null"/>.</summary>
    public IDictionary<string, string>? Attributes { get; set; }

    /// <summary>
    /// Gets or sets where in the source the record was read (for example <c>line 17</c> of a file, or a page cursor), or
    /// <see langword="null"/>. A source that can be resumed sets it on every candidate, in the order it yields them: a resumed
    /// run hands the position of the last candidate it had safely taken to <see cref="Stages.LeadSourceContext.ResumeAfter"/>.
    /// </summary>
    public string? SourcePosition { get; set; }

    /// <summary>
    /// Gets or sets why the source refuses this record at intake (a malformed row, a missing required column), or
    /// <see langword="null"/> for a record to process. A refused record is never stored as a lead: the run counts it as
    /// rejected, with this reason and <see cref="SourcePosition"/>, so every record a source read is accounted for.
    /// </summary>
    public string? RejectionReason { get; set; }
}
