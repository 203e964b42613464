namespace Aicmo.Sdk.AspNetCore.Runs.Internal;

/// <summary>The body of a run start: what to run and its limits.</summary>
internal sealed record RunRequest
{
    /// <summary>Gets <c>full</c> (the whole pipeline) or <c>harvest</c> (harvest only; not offered by the runner yet).</summary>
    public string? Kind { get; init; }

    public long? MaxLeads { get; init; }

    public bool? DryRun { get; init; }

    public IReadOnlyDictionary<string, string>? Parameters { get; init; }
}
