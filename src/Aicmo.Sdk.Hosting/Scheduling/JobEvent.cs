namespace Aicmo.Sdk.Hosting;

/// <summary>
/// Something that happened to a scheduled job, as <see cref="IJobEventStream"/> streams it: started, skipped, misfired, a retry
/// planned, completed, and the events of the pipeline run a job runs (<see cref="JobRunEvent"/>).
/// </summary>
/// <param name="JobId">The job: the id of the <see cref="Aicmo.Sdk.Scheduling.JobResult"/> this fire records (every event of one attempt shares it).</param>
/// <param name="ScheduleId">The schedule that fired.</param>
/// <param name="CampaignId">The campaign.</param>
/// <param name="JobKind">The job kind.</param>
/// <param name="ScheduledAt">The occurrence.</param>
/// <param name="Timestamp">When it happened, by the job store's clock.</param>
public abstract record JobEvent(Guid JobId, string ScheduleId, string CampaignId, string JobKind, DateTimeOffset ScheduledAt, DateTimeOffset Timestamp);
