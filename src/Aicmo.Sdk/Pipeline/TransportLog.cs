using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Pipeline;

/// <summary>The log messages of runs shared between processes (see <see cref="Transport.ILeadBatchRunCoordinator"/>).</summary>
internal static partial class TransportLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Run {RunId}: its outcomes could not be read from the store; the result holds the counts reported by the processes")]
    public static partial void TallyFailed(ILogger logger, Guid runId, Exception exception);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Run {RunId}: announcing its end (cancelled: {Cancelled}) to the other processes failed; they stop after their idle timeout")]
    public static partial void AnnounceFailed(ILogger logger, Guid runId, bool cancelled, Exception exception);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Joined run {RunId} of campaign {CampaignId} started by another process: working on its stages {Stages}")]
    public static partial void Joined(ILogger logger, Guid runId, string campaignId, string stages);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Left run {RunId}: the run ended, was cancelled, went idle here, or the process is stopping")]
    public static partial void Left(ILogger logger, Guid runId);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error, Message = "Run {RunId} joined from another process failed at {Stage} here; its batches go back to the broker")]
    public static partial void ParticipantFailed(ILogger logger, Guid runId, string stage, Exception exception);
}
