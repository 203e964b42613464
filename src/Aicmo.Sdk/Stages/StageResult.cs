using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

/// <summary>What a stage did to a lead.</summary>
public readonly struct StageResult
{
    private StageResult(LeadStatus? nextStatus, string reason)
    {
        NextStatus = nextStatus;
        Reason = reason;
    }

    /// <summary>Gets the state the lead moves to, or <see langword="null"/> when it stays where it is.</summary>
    public LeadStatus? NextStatus { get; }

    /// <summary>Gets why, in words a person can read (recorded in the audit trail).</summary>
    public string Reason { get; }

    /// <summary>The lead stays in its state and goes on to the next stage.</summary>
    /// <param name="reason">An optional note.</param>
    /// <returns>The result.</returns>
    public static StageResult Continue(string reason = "") => new(null, reason);

    /// <summary>The lead moves to <paramref name="status"/>; it leaves the pipeline when that state is an outcome.</summary>
    /// <param name="status">The new state; the move is validated by <see cref="LeadStateMachine"/>.</param>
    /// <param name="reason">Why.</param>
    /// <returns>The result.</returns>
    public static StageResult MoveTo(LeadStatus status, string reason) => new(status, reason ?? string.Empty);
}
