using Microsoft.Extensions.Logging;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Diagnostics;

internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Run {RunId} of campaign {CampaignId} started with stages {Stages}")]
    public static partial void RunStarted(ILogger logger, Guid runId, string campaignId, string stages);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Run {RunId} ended {Status}: {Harvested} harvested, {Duplicates} duplicates, {Quarantined} quarantined, {Pending} pending in {Duration}")]
    public static partial void RunCompleted(ILogger logger, Guid runId, PipelineRunStatus status, long harvested, long duplicates, long quarantined, long pending, TimeSpan duration);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Lead {LeadId} quarantined at stage {Stage} after {Attempts} attempt(s): {ErrorType}: {ErrorMessage}")]
    public static partial void LeadQuarantined(ILogger logger, Guid leadId, string stage, int attempts, string errorType, string errorMessage);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Lead source {Source} failed in run {RunId}; the other sources go on")]
    public static partial void SourceFailed(ILogger logger, string source, Guid runId, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Stage {Stage} retrying a lead (attempt {Attempt}) after {ErrorType}")]
    public static partial void StageRetry(ILogger logger, string stage, int attempt, string errorType);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Critical, Message = "Run {RunId} stopped by a fatal error in stage {Stage}")]
    public static partial void FatalError(ILogger logger, Guid runId, string stage, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Run {RunId} cancelled; draining leads already harvested for up to {DrainTimeout}")]
    public static partial void RunCancelling(ILogger logger, Guid runId, TimeSpan drainTimeout);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Lead {LeadId} changed in the store during run {RunId}; its final state was not written")]
    public static partial void UpdateConflict(ILogger logger, Guid leadId, Guid runId);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Lead {LeadId}: the checkpoint of run {RunId} could not be stored; a later run repeats its stages")]
    public static partial void CheckpointFailed(ILogger logger, Guid leadId, Guid runId, Exception exception);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Run {InterruptedRunId} ({Status}) was interrupted; run {RunId} takes over its unfinished leads")]
    public static partial void RunTakenOver(ILogger logger, Guid interruptedRunId, PipelineRunStatus status, Guid runId);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "Run {RunId} was taken over by another run while it was running (its record went stale); it stops and leaves its leads to that run")]
    public static partial void RunLeaseLost(ILogger logger, Guid runId);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Warning, Message = "Run {RunId}: {Count} candidate(s) a cancelled source had yielded could not be handed on before the run stopped processing")]
    public static partial void HeldCandidatesDropped(ILogger logger, int count, Guid runId);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "Run {RunId}: the final run record could not be stored")]
    public static partial void RunRecordFailed(ILogger logger, Guid runId, Exception exception);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Outbox key {IdempotencyKey} of campaign {CampaignId}: an expired claim is sent again with the same key (possible duplicate)")]
    public static partial void PossibleDuplicateSend(ILogger logger, string idempotencyKey, string campaignId);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Error, Message = "Outbox key {IdempotencyKey}: recording the result of the send failed")]
    public static partial void OutboxMarkFailed(ILogger logger, Exception exception, string idempotencyKey);
}
