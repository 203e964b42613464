namespace Aicmo.Sdk.Smtp.Inbox.Internal;

/// <summary>A classified incoming message: what it is, the lead it concerns, and for an auto-reply the text to find a return date in.</summary>
internal readonly record struct InboundMessage(InboundKind Kind, Guid? LeadId, string? Text = null, DateTimeOffset? SentAt = null);
