using Aicmo.Sdk.Pipeline;

namespace Aicmo.Sdk.Hosting;

/// <summary>
/// An event of the pipeline run a job runs (run started, progress, lead quarantined, stage completed, run completed), tagged
/// with the job and schedule that run it.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="ScheduleId">The schedule.</param>
/// <param name="CampaignId">The campaign.</param>
/// <param name="JobKind">The job kind.</param>
/// <param name="ScheduledAt">The occurrence.</param>
/// <param name="Timestamp">When, by the pipeline's clock.</param>
/// <param name="Event">The run's event; its <see cref="PipelineEvent.RunId"/> names the run.</param>
public sealed record JobRunEvent(
    Guid JobId, string ScheduleId, string CampaignId, string JobKind, DateTimeOffset ScheduledAt, DateTimeOffset Timestamp, PipelineEvent Event)
    : JobEvent(JobId, ScheduleId, CampaignId, JobKind, ScheduledAt, Timestamp);
