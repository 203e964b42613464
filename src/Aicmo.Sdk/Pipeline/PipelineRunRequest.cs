using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

/// <summary>What to run.</summary>
public sealed record PipelineRunRequest
{
    /// <summary>Gets the campaign; leads are unique by identity key within it.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Gets the most candidates to take from all sources together, or <see langword="null"/> for all they yield.</summary>
    public long? MaxLeads { get; init; }

    /// <summary>Gets the run id to use, or <see langword="null"/> for a new one.</summary>
    public Guid? RunId { get; init; }

    /// <summary>Gets what the run does: the full pipeline, a harvest that stops before enrichment, or a backlog of stored leads.</summary>
    /// <value>The default value is <see cref="PipelineRunKind.Full"/>.</value>
    public PipelineRunKind Kind { get; init; }

    /// <summary>
    /// Gets the stored leads and the stages of a <see cref="PipelineRunKind.Backlog"/> run; required for that kind, and not allowed
    /// for the others. <see cref="MaxLeads"/> then caps how many stored leads the run takes.
    /// </summary>
    public BacklogSelection? Backlog { get; init; }

    /// <summary>
    /// Gets whether the run is a dry run: it computes and reports every decision a real run would make, and changes nothing.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A dry run reads its sources (or, for a backlog, the stored leads), finds duplicates against the leads already stored,
    /// runs every stage, and reports the counts, per-stage statistics and events a real run would (a lead that would be mailed is
    /// counted <see cref="PipelineRunResult.Routed"/> with the step it would send on its nurture state). It sends no email and
    /// writes no outbox entry; it stores no lead, no audit event, no rejected candidate and no campaign, and it takes over no
    /// interrupted run. Only its own run record is stored (with <see cref="Storage.RunRecord.DryRun"/> set), so it can be looked
    /// up and listed like any run.
    /// </para>
    /// <para>
    /// Enrichment providers and custom stages are called as in a real run (a provider's answers may be cached); a stage reads
    /// <see cref="Stages.StageContext.WritesNothing"/> to know it must not write either. A dry run keeps the identity keys of the
    /// new leads it finds in memory to count duplicates within the run, and looks each candidate up in the store, so it is slower
    /// than a real run on a durable store; cap a large source with <see cref="MaxLeads"/>.
    /// </para>
    /// <para>This differs from <see cref="AicmoPipelineOptions.DryRun"/>, which applies to every run and nurture pass and does store
    /// the leads and an outbox entry per step that was not sent.</para>
    /// </remarks>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DryRun { get; init; }

    /// <summary>
    /// Gets values for the host's own stages and sources, readable through <see cref="Stages.StageContext.Parameters"/> and
    /// <see cref="Stages.LeadSourceContext.Parameters"/>, or <see langword="null"/> for none. Stored with the run record, so a
    /// resumed run sees the same values.
    /// </summary>
    /// <remarks>
    /// At most <see cref="MaxParameterCount"/> entries. A key is 1 to <see cref="MaxParameterKeyLength"/> characters: ASCII letters,
    /// digits, <c>.</c>, <c>_</c> and <c>-</c>, starting with a letter; keys are compared ordinally (case matters). A value is at
    /// most <see cref="MaxParameterValueLength"/> characters, none of them one the intake policy refuses
    /// (<see cref="Domain.TextPolicy"/>: control characters other than tab, CR and LF, and line and paragraph separators). Anything else makes <see cref="ILeadPipeline.Start"/> throw an
    /// <see cref="ArgumentException"/> naming the parameter.
    /// </remarks>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>The most entries <see cref="Parameters"/> may hold.</summary>
    public const int MaxParameterCount = 32;

    /// <summary>The longest key <see cref="Parameters"/> may hold.</summary>
    public const int MaxParameterKeyLength = 64;

    /// <summary>The longest value <see cref="Parameters"/> may hold.</summary>
    public const int MaxParameterValueLength = 1024;

    /// <summary>Checks the request on its own (the pipeline checks stage names against its stages when it starts the run).</summary>
    /// <exception cref="ArgumentException">A field is not valid; <see cref="ArgumentException.ParamName"/> names it
    /// (<c>CampaignId</c>, <c>MaxLeads</c>, <c>Backlog</c>, <c>Backlog.Stages</c>, <c>Backlog.States</c>, <c>Parameters</c>).</exception>
    public void Validate() => RunRequestValidation.Validate(this);

    /// <summary>The request that starts a stored run again: resumed, or joined by another process.</summary>
    internal static PipelineRunRequest For(Storage.RunRecord record) => new()
    {
        CampaignId = record.CampaignId,
        RunId = record.RunId,
        MaxLeads = record.MaxLeads,
        Kind = record.Kind,
        Backlog = record.Backlog,
        DryRun = record.DryRun,
        Parameters = record.Parameters,
    };
}
