using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Smtp.Internal;

/// <summary>The package's log messages (event ids 7000–7099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Debug, Message = "Opened an SMTP connection to {Host}:{Port} (TLS: {Secure})")]
    public static partial void ConnectionOpened(ILogger logger, string host, int port, bool secure);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Debug, Message = "Discarded a failed SMTP connection to {Host}:{Port}")]
    public static partial void ConnectionDiscarded(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "SMTP send of {IdempotencyKey} failed ({Failure}, status {StatusCode}): {Reason}")]
    public static partial void SendFailed(ILogger logger, string idempotencyKey, Aicmo.Sdk.Nurture.EmailDeliveryFailure failure, int? statusCode, string reason);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Information, Message = "Inbox pass over {Folder}: {Examined} examined, {Bounced} bounced, {Stopped} stopped, {Paused} paused, {Unmatched} not ours")]
    public static partial void InboxPass(ILogger logger, string folder, int examined, int bounced, int stopped, int paused, int unmatched);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Warning, Message = "Inbox pass over {Folder} failed; the next pass tries again")]
    public static partial void InboxPassFailed(ILogger logger, string folder, Exception exception);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Debug, Message = "Inbox message {Uid} ({Kind}) for lead {LeadId}: {Outcome}")]
    public static partial void InboxMessage(ILogger logger, uint uid, string kind, Guid? leadId, string outcome);
}
