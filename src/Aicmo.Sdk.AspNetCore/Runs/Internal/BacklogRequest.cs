namespace Aicmo.Sdk.AspNetCore.Runs.Internal;

/// <summary>The stored leads a <c>backlog</c> run takes and the stages it takes them through.</summary>
internal sealed record BacklogRequest
{
    /// <summary>Gets the stages to run, consecutive in pipeline order, for example <c>["score", "qualify"]</c>.</summary>
    public IReadOnlyList<string>? Stages { get; init; }

    /// <summary>Gets the states of the leads to take, for example <c>["Disqualified", "ManualReview"]</c> (case-insensitive).</summary>
    public IReadOnlyList<string>? States { get; init; }
}
