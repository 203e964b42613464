namespace Aicmo.Sdk.AspNetCore.Runs.Internal;

/// <summary>The body of a run start: what to run and its limits.</summary>
internal sealed record RunRequest
{
    /// <summary>
    /// Gets <c>full-pipeline</c> (the whole pipeline; <c>full</c> is accepted too), <c>harvest</c> (harvest and dedup only) or
    /// <c>backlog</c> (chosen stages over stored leads, see <see cref="Backlog"/>).
    /// </summary>
    public string? Kind { get; init; }

    /// <summary>Gets the stages and lead states of a <c>backlog</c> run; required for that kind, refused for the others.</summary>
    public BacklogRequest? Backlog { get; init; }

    /// <summary>Gets the most candidates (for a backlog, stored leads) the run takes; the campaign's <c>settings.maxLeadsPerRun</c> when absent.</summary>
    public long? MaxLeads { get; init; }

    /// <summary>Gets whether the run only reports what it would do: it stores no lead and sends no email.</summary>
    public bool? DryRun { get; init; }

    /// <summary>Gets values for the host's own stages and sources (<c>StageContext.Parameters</c>).</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }
}
