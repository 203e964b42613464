using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>A campaign's or a run's funnel: how many leads are in each state.</summary>
/// <param name="CampaignId">The campaign.</param>
/// <param name="RunId">The run, or <see langword="null"/> for the whole campaign.</param>
/// <param name="Counts">The count per state; states without leads are left out.</param>
public sealed record LeadFunnel(string CampaignId, Guid? RunId, IReadOnlyDictionary<LeadStatus, long> Counts)
{
    /// <summary>Gets the number of leads in every state together.</summary>
    public long Total => Counts.Values.Sum();

    /// <summary>Returns the number of leads in a state.</summary>
    /// <param name="status">The state.</param>
    /// <returns>The count, 0 when none.</returns>
    public long this[LeadStatus status] => Counts.GetValueOrDefault(status);
}
