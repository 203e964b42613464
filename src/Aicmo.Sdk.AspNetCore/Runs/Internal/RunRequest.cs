namespace Aicmo.Sdk.AspNetCore.Runs.Internal;

/// <summary>The body of a run start: what to run and its limits.</summary>
internal sealed record RunRequest
{
    /// <summary>Gets <c>full-pipeline</c> (the whole pipeline; <c>full</c> is accepted too) or <c>harvest</c> (harvest and dedup only).</summary>
    public string? Kind { get; init; }

    /// <summary>Gets the most candidates the run takes; the campaign's <c>settings.maxLeadsPerRun</c> when absent.</summary>
    public long? MaxLeads { get; init; }

    /// <summary>Gets whether the run only reports what it would do: it stores no lead and sends no email.</summary>
    public bool? DryRun { get; init; }

    /// <summary>Gets values for the host's own stages and sources (<c>StageContext.Parameters</c>).</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }
}
