namespace Aicmo.Sdk.Scheduling;

/// <summary>What one fire of a schedule did: one record per attempt, per skipped and per misfired occurrence.</summary>
public sealed record JobResult
{
    /// <summary>Gets the result's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the schedule that fired, or <see langword="null"/> for a job started by hand.</summary>
    public string? ScheduleId { get; init; }

    /// <summary>Gets the campaign.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Gets the kind of job.</summary>
    public required string JobKind { get; init; }

    /// <summary>Gets how the fire ended.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>Gets the occurrence this fire belongs to.</summary>
    public required DateTimeOffset ScheduledAt { get; init; }

    /// <summary>Gets when the attempt started, or <see langword="null"/> when it did not run (skipped, misfired).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when the fire was decided or the attempt ended.</summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>Gets the attempt, 1 for the first.</summary>
    /// <value>The default value is 1.</value>
    public int Attempt { get; init; } = 1;

    /// <summary>Gets the pipeline run the job ran or resumed, if any.</summary>
    public Guid? RunId { get; init; }

    /// <summary>Gets the leads the job handled (harvested by a pipeline job, examined by a nurture pass).</summary>
    public long LeadsProcessed { get; init; }

    /// <summary>Gets the leads that passed qualification (routed or contacted).</summary>
    public long Qualified { get; init; }

    /// <summary>Gets the leads contacted (steps sent, by a nurture pass).</summary>
    public long Contacted { get; init; }

    /// <summary>Gets the error or the reason the fire did not run, if any.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the host that recorded the result.</summary>
    public string? Host { get; init; }

    /// <summary>Gets the fencing token of the lease the job ran under, 0 when it held none.</summary>
    public long FencingToken { get; init; }

    /// <summary>Gets how long the attempt ran; zero when it did not run.</summary>
    public TimeSpan Duration => StartedAt is { } started ? CompletedAt - started : TimeSpan.Zero;
}
