using Aicmo.Sdk.Scheduling;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Hosting.Internal;

internal static partial class SchedulerLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Scheduler {HostId} started with {Schedules} schedule(s) defined in code or configuration")]
    public static partial void Started(ILogger logger, string hostId, int schedules);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Job {JobKind} of campaign {CampaignId} fired by schedule {ScheduleId} for {ScheduledAt:o} (attempt {Attempt}, lag {Lag})")]
    public static partial void Fired(ILogger logger, string jobKind, string campaignId, string scheduleId, DateTimeOffset scheduledAt, int attempt, TimeSpan lag);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Job {JobKind} of campaign {CampaignId} ({ScheduleId}, {ScheduledAt:o}) ended {Status} in {Duration}: {LeadsProcessed} leads, {Qualified} qualified, {Contacted} contacted")]
    public static partial void Completed(ILogger logger, string jobKind, string campaignId, string scheduleId, DateTimeOffset scheduledAt, JobStatus status, TimeSpan duration, long leadsProcessed, long qualified, long contacted);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Job {JobKind} of campaign {CampaignId} ({ScheduleId}, {ScheduledAt:o}) skipped: a run of that kind is live under {Owner} (token {FencingToken})")]
    public static partial void Skipped(ILogger logger, string jobKind, string campaignId, string scheduleId, DateTimeOffset scheduledAt, string owner, long fencingToken);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Schedule {ScheduleId} missed {Count} occurrence(s) from {First:o} to {Last:o}; misfire policy {Policy}")]
    public static partial void Misfired(ILogger logger, string scheduleId, int count, DateTimeOffset first, DateTimeOffset last, MisfirePolicy policy);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Job {JobKind} of campaign {CampaignId} ({ScheduleId}) failed on attempt {Attempt}; retrying at {RetryAt:o}")]
    public static partial void Retrying(ILogger logger, string jobKind, string campaignId, string scheduleId, int attempt, DateTimeOffset retryAt, Exception? exception);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "Job {JobKind} of campaign {CampaignId} ({ScheduleId}) failed on attempt {Attempt}: {Error}")]
    public static partial void Failed(ILogger logger, string jobKind, string campaignId, string scheduleId, int attempt, string? error, Exception? exception);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Job {JobKind} of campaign {CampaignId} lost its lease (token {FencingToken}); it stops and its result is not recorded")]
    public static partial void LeaseLost(ILogger logger, string jobKind, string campaignId, long fencingToken);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Job {JobKind} of campaign {CampaignId} resumes run {RunId}, interrupted when its lease expired")]
    public static partial void ResumingRun(ILogger logger, string jobKind, string campaignId, Guid runId);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Error, Message = "The scheduler's look at the store failed; it tries again")]
    public static partial void TickFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Scheduler {HostId} stopping: cancelling {Running} running job(s)")]
    public static partial void Stopping(ILogger logger, string hostId, int running);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Schedule {ScheduleId} ({JobKind} of campaign {CampaignId}) added with next occurrence {NextFireAt:o}")]
    public static partial void ScheduleAdded(ILogger logger, string scheduleId, string jobKind, string campaignId, DateTimeOffset? nextFireAt);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "Deleted {Count} job result(s) older than {Cutoff:o}")]
    public static partial void RetentionDeleted(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "The job store {Store} cannot keep planned retries; they are kept in this process and lost if it stops")]
    public static partial void RetriesKeptInProcess(ILogger logger, string store, Exception exception);
}
