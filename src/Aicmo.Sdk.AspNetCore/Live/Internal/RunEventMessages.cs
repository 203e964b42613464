using System.Text.Json;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Hosting;
using Aicmo.Sdk.Pipeline;

namespace Aicmo.Sdk.AspNetCore.Live.Internal;

/// <summary>Maps pipeline events onto the wire messages (<c>agent_status</c>, <c>progress</c>, <c>complete</c>).</summary>
internal static class RunEventMessages
{
    public const string AgentStatus = "agent_status";
    public const string Progress = "progress";
    public const string Complete = "complete";
    public const string Gap = "gap";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static RunEventEnvelope Envelope(long id, PipelineEvent e)
    {
        var (type, payload, milestone) = e switch
        {
            RunStarted s => (AgentStatus, (object)new { status = "started", campaignId = s.CampaignId, stages = s.StageNames }, true),
            StageProgress p => (Progress, new
            {
                elapsedMs = (long)p.Progress.Elapsed.TotalMilliseconds,
                harvested = p.Progress.Harvested,
                duplicates = p.Progress.Duplicates,
                stages = p.Progress.Stages.Select(Stage),
            }, false),
            LeadQuarantined q => (AgentStatus, new { status = "lead_quarantined", leadId = q.LeadId, stage = q.Fault.Stage, errorType = q.Fault.ErrorType }, false),
            StageCompleted c => (AgentStatus, new { status = "stage_completed", stage = Stage(c.Statistics) }, true),
            RunCompleted r => (Complete, Result(r.Result), true),
            ScheduledJobEvent j => (AgentStatus, Job(j.Job), true),
            _ => (AgentStatus, new { status = "event", kind = e.GetType().Name }, false),
        };
        return new RunEventEnvelope(id, type, Serialize(id, type, e.RunId, e.Timestamp, payload), milestone);
    }

    public static RunEventEnvelope GapMarker(Guid runId, DateTimeOffset at, long missed) =>
        new(0, Gap, Serialize(0, Gap, runId, at, new { missed, note = "This subscriber fell behind; the oldest events were dropped. Read the run for its current state." }), false);

    public static object Result(PipelineRunResult r) => new
    {
        status = r.Status.ToString(),
        harvested = r.Harvested,
        duplicates = r.Duplicates,
        disqualified = r.Disqualified,
        manualReview = r.ManualReview,
        routed = r.Routed,
        contacted = r.Contacted,
        suppressed = r.Suppressed,
        quarantined = r.Quarantined,
        pending = r.Pending,
        resumed = r.Resumed,
        successRate = r.SuccessRate,
        balanced = r.IsBalanced,
        durationMs = (long)r.Duration.TotalMilliseconds,
    };

    private static object Job(JobEvent e) => e switch
    {
        JobStarted s => new
        {
            status = "job_started", jobId = s.JobId, scheduleId = s.ScheduleId, jobKind = s.JobKind, scheduledAt = s.ScheduledAt,
            attempt = s.Attempt, host = s.Host, resumingRunId = s.ResumingRunId,
        },
        JobSkipped k => new
        {
            status = "job_skipped", jobId = k.JobId, scheduleId = k.ScheduleId, jobKind = k.JobKind, scheduledAt = k.ScheduledAt,
            attempt = k.Attempt, reason = k.Reason,
        },
        _ => (object)new { status = "job_event", jobId = e.JobId, scheduleId = e.ScheduleId, jobKind = e.JobKind, scheduledAt = e.ScheduledAt, kind = e.GetType().Name },
    };

    public static object Stage(StageStatistics s) => new
    {
        name = s.Name,
        @in = s.In,
        @out = s.Out,
        duplicates = s.Duplicates,
        disqualified = s.Disqualified,
        manualReview = s.ManualReview,
        routed = s.Routed,
        contacted = s.Contacted,
        suppressed = s.Suppressed,
        quarantined = s.Quarantined,
        pending = s.Pending,
        queueDepth = s.QueueDepth,
        failed = s.Failed,
        durationMs = (long)s.Duration.TotalMilliseconds,
    };

    private static string Serialize(long id, string type, Guid runId, DateTimeOffset at, object payload) =>
        JsonSerializer.Serialize(new { id, type, runId, sessionId = runId, timestamp = at, payload }, Options);
}
