namespace Aicmo.Sdk.Domain;

/// <summary>Where a qualified lead goes: team, owner and sequence, and why.</summary>
/// <param name="Team">The team (or tier) the lead is assigned to.</param>
/// <param name="Owner">The owner inside the team, or <see langword="null"/> when none could be assigned.</param>
/// <param name="Sequence">The nurture sequence the lead enters.</param>
/// <param name="Rule">The rule that matched.</param>
/// <param name="Reason">Why the rule matched.</param>
public sealed record RoutingDecision(string Team, string? Owner, string Sequence, string Rule, string Reason)
{
    /// <summary>Gets whether an owner was assigned. A decision without an owner sends the lead to manual review.</summary>
    public bool IsAssigned => Owner is not null;
}
