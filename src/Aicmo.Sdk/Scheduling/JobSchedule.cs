using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Scheduling;

/// <summary>
/// A recurring job: fires a job of <see cref="JobKind"/> for <see cref="CampaignId"/> at the occurrences of <see cref="Cron"/>
/// in <see cref="TimeZone"/>. Defined in code or configuration, or created and changed at run time through the job store.
/// </summary>
/// <remarks>
/// The properties have setters for init only, and defaults, so that a schedule binds from configuration. The store keeps
/// <see cref="NextFireAt"/> and <see cref="Version"/>: every change is a compare-and-set on the version, and a host fires an
/// occurrence only after it has moved <see cref="NextFireAt"/> past it, so no occurrence fires twice.
/// </remarks>
public sealed record JobSchedule
{
    /// <summary>Gets the schedule's id, unique in the store.</summary>
    public string Id { get; init; } = "";

    /// <summary>Gets the campaign the job runs for.</summary>
    public string CampaignId { get; init; } = "";

    /// <summary>Gets the kind of job (see <see cref="JobKinds"/>).</summary>
    /// <value>The default value is <see cref="JobKinds.Pipeline"/>.</value>
    public string JobKind { get; init; } = JobKinds.Pipeline;

    /// <summary>
    /// Gets the cron expression: five fields (minute hour day month weekday), or six with seconds first. Parsed by Cronos;
    /// the occurrences are taken in <see cref="TimeZone"/>, so daylight-saving changes neither skip nor double a day.
    /// </summary>
    public string Cron { get; init; } = "";

    /// <summary>Gets the IANA time zone the cron expression is read in, for example <c>America/New_York</c>.</summary>
    /// <value>The default value is <c>UTC</c>.</value>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>Gets whether the schedule fires; a paused schedule keeps its definition and history.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; init; } = true;

    /// <summary>Gets what happens to occurrences missed by more than <see cref="MisfireThreshold"/>.</summary>
    /// <value>The default value is <see cref="MisfirePolicy.RunOnce"/>.</value>
    public MisfirePolicy Misfire { get; init; } = MisfirePolicy.RunOnce;

    /// <summary>Gets how late an occurrence may start and still count as on time.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan MisfireThreshold { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets how many missed occurrences <see cref="MisfirePolicy.CatchUp"/> runs at most.</summary>
    /// <value>The default value is 3.</value>
    public int MaxCatchUp { get; init; } = 3;

    /// <summary>Gets how a failed fire is retried.</summary>
    public JobRetryPolicy Retry { get; init; } = new();

    /// <summary>
    /// Gets the most candidates a <see cref="JobKinds.Pipeline"/> or <see cref="JobKinds.HarvestOnly"/> job takes, or the most
    /// stored leads a <see cref="JobKinds.Backlog"/> job takes; <see langword="null"/> for all.
    /// </summary>
    public long? MaxLeads { get; init; }

    /// <summary>
    /// Gets the stages a <see cref="JobKinds.Backlog"/> job runs and the states of the stored leads it takes; required for that
    /// kind, and not allowed for the others. In configuration: <c>"Backlog": { "Stages": [ "score", "qualify" ], "States": [ "Disqualified" ] }</c>.
    /// </summary>
    public BacklogSelection? Backlog { get; init; }

    /// <summary>Gets the next occurrence to fire (kept by the store), or <see langword="null"/> when none is due (paused, or the expression has no more).</summary>
    public DateTimeOffset? NextFireAt { get; init; }

    /// <summary>Gets the stored version; every change increments it.</summary>
    public long Version { get; init; }

    /// <summary>Gets when the schedule was last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
