using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

/// <summary>Yields raw lead candidates, for example from a CSV file, a web form backlog or a vendor API.</summary>
/// <remarks>Several sources may be registered; they are read concurrently. An exception ends this source only.</remarks>
public interface ILeadSource
{
    /// <summary>Gets the source's name, recorded on every lead it yields.</summary>
    string Name { get; }

    /// <summary>Streams candidates.</summary>
    /// <param name="context">The run being harvested for.</param>
    /// <param name="cancellationToken">Signals that no more candidates are wanted.</param>
    /// <returns>The candidates.</returns>
    IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, CancellationToken cancellationToken);
}

/// <summary>What a source knows about the run it is harvested for.</summary>
/// <param name="RunId">The run.</param>
/// <param name="CampaignId">The campaign.</param>
/// <param name="MaxLeads">The most candidates the run will take from all sources together, or <see langword="null"/>.</param>
public sealed record LeadSourceContext(Guid RunId, string CampaignId, long? MaxLeads)
{
    /// <summary>
    /// Gets the <see cref="LeadCandidate.SourcePosition"/> of the last candidate of this source that the run has already taken
    /// (stored, counted as a duplicate or rejected) when the run is resumed, or <see langword="null"/> to read from the start.
    /// A source that sets positions continues after this one; a source that does not may ignore it (what it yields again is
    /// counted as duplicates).
    /// </summary>
    public string? ResumeAfter { get; init; }

    /// <summary>Gets the run's parameters (<see cref="Pipeline.PipelineRunRequest.Parameters"/>), empty when it has none. Keys are compared ordinally.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = Pipeline.RunRequestValidation.NoParameters;
}

/// <summary>Fills in missing fields of a lead. Record where each value came from in <see cref="Lead.Provenance"/>.</summary>
public interface ILeadEnricher
{
    /// <summary>Enriches one lead in place.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="context">The run.</param>
    /// <param name="cancellationToken">Signals a timeout or the end of the run.</param>
    /// <returns>How many fields were filled in, and a note.</returns>
    ValueTask<EnrichmentResult> EnrichAsync(Lead lead, StageContext context, CancellationToken cancellationToken);
}

/// <summary>What enrichment did.</summary>
/// <param name="FieldsFilled">How many fields were filled in.</param>
/// <param name="Reason">A note for the audit trail.</param>
public readonly record struct EnrichmentResult(int FieldsFilled, string Reason);

/// <summary>Scores a lead.</summary>
public interface ILeadScorer
{
    /// <summary>Computes the lead's score with its components.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="context">The run.</param>
    /// <param name="cancellationToken">Signals a timeout or the end of the run.</param>
    /// <returns>The score.</returns>
    ValueTask<LeadScore> ScoreAsync(Lead lead, StageContext context, CancellationToken cancellationToken);
}

/// <summary>Decides whether a scored lead is qualified.</summary>
public interface ILeadQualifier
{
    /// <summary>Decides, with every reason that fired.</summary>
    /// <param name="lead">The lead, already scored.</param>
    /// <param name="context">The run.</param>
    /// <param name="cancellationToken">Signals a timeout or the end of the run.</param>
    /// <returns>The decision.</returns>
    ValueTask<QualificationDecision> QualifyAsync(Lead lead, StageContext context, CancellationToken cancellationToken);
}

/// <summary>Decides where a qualified lead goes: team, owner and sequence.</summary>
public interface ILeadRouter
{
    /// <summary>Routes one lead. A decision with no owner sends the lead to manual review.</summary>
    /// <param name="lead">The lead, already qualified.</param>
    /// <param name="context">The run.</param>
    /// <param name="cancellationToken">Signals a timeout or the end of the run.</param>
    /// <returns>The decision.</returns>
    ValueTask<RoutingDecision> RouteAsync(Lead lead, StageContext context, CancellationToken cancellationToken);
}

/// <summary>Moves a routed lead through its nurture sequence (sends the next due email).</summary>
public interface ILeadNurturer
{
    /// <summary>Nurtures one lead.</summary>
    /// <param name="lead">The lead, already routed.</param>
    /// <param name="context">The run.</param>
    /// <param name="cancellationToken">Signals a timeout or the end of the run.</param>
    /// <returns>The new nurture state.</returns>
    ValueTask<NurtureState> NurtureAsync(Lead lead, StageContext context, CancellationToken cancellationToken);
}
