using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>How long the audit trails of closed leads are kept in full (see <see cref="AuditRetention"/>).</summary>
public sealed class AuditRetentionOptions
{
    /// <summary>
    /// Gets or sets how long events are kept once a lead's trail is closed: <see cref="AuditRetention.PruneAsync"/> deletes the
    /// events older than this of every lead whose latest event is in one of <see cref="ClosingStates"/>, keeping that latest
    /// event. At least one day when set.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: every event is kept for good.</value>
    public TimeSpan? Retention { get; set; }

    /// <summary>Gets the states that close a lead's trail.</summary>
    /// <value>The default value is <see cref="LeadStatus.Disqualified"/>, <see cref="LeadStatus.Replied"/>, <see cref="LeadStatus.Converted"/>,
    /// <see cref="LeadStatus.Unsubscribed"/> and <see cref="LeadStatus.Bounced"/>.</value>
    public IList<LeadStatus> ClosingStates { get; } =
        [LeadStatus.Disqualified, LeadStatus.Replied, LeadStatus.Converted, LeadStatus.Unsubscribed, LeadStatus.Bounced];

    /// <summary>Validates the options; every failure names the option.</summary>
    /// <param name="prefix">The path of these options.</param>
    /// <returns>The failures; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate(string prefix = nameof(AuditRetentionOptions))
    {
        var failures = new List<string>();
        if (Retention is { } retention && retention < TimeSpan.FromDays(1))
        {
            failures.Add($"{prefix}.{nameof(Retention)} must be at least one day when set (was {retention}).");
        }

        if (Retention is not null && ClosingStates.Count == 0)
        {
            failures.Add($"{prefix}.{nameof(ClosingStates)} must name at least one state when {nameof(Retention)} is set.");
        }

        return failures;
    }
}
