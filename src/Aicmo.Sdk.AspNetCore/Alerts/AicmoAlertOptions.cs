namespace Aicmo.Sdk.AspNetCore.Alerts;

/// <summary>
/// Thresholds of the alerts the API reports at <c>GET /alerts</c> and the dashboard shows, and of each campaign's pipeline health.
/// Validated at start-up; a message names the option at fault.
/// </summary>
public sealed class AicmoAlertOptions
{
    /// <summary>Gets or sets how many runs of a campaign in a row must end failed to raise a critical alert and mark the campaign failing.</summary>
    /// <value>The default value is 3.</value>
    public int ConsecutiveFailedRuns { get; set; } = 3;

    /// <summary>
    /// Gets or sets the share of a run's stored leads (harvested minus duplicates) that may end quarantined before the campaign's
    /// latest ended run raises a warning. From 0 to 1.
    /// </summary>
    /// <value>The default value is 0.05.</value>
    public double QuarantineRateThreshold { get; set; } = 0.05;

    /// <summary>Gets or sets the share of a campaign's emails that may have failed (failed / (sent + failed)) before a warning is raised. From 0 to 1.</summary>
    /// <value>The default value is 0.10.</value>
    public double SendFailureRateThreshold { get; set; } = 0.10;

    /// <summary>Gets or sets how many leads (for the quarantine rate) or emails (for the send-failure rate) a rate needs before it can raise an alert.</summary>
    /// <value>The default value is 20.</value>
    public int MinimumSampleSize { get; set; } = 20;

    /// <summary>Gets or sets how far back a misfired schedule occurrence (from the job history) raises a warning.</summary>
    /// <value>The default value is 24 hours.</value>
    public TimeSpan MisfireWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets how many of a campaign's most recent runs its health and its dashboard look at.</summary>
    /// <value>The default value is 20.</value>
    public int RecentRuns { get; set; } = 20;
}
