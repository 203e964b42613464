namespace Aicmo.Sdk.Smtp.Inbox.Internal;

/// <summary>What an incoming message is, as far as a nurture sequence is concerned.</summary>
internal enum InboundKind
{
    /// <summary>Refers to none of our emails.</summary>
    Unmatched,

    /// <summary>A report that one of our emails could not be delivered, for good.</summary>
    Bounce,

    /// <summary>A delivery report that is not a permanent failure (delayed, relayed, delivered).</summary>
    DeliveryReport,

    /// <summary>An automatic answer (out of office, vacation).</summary>
    AutoReply,

    /// <summary>A person's reply.</summary>
    Reply,
}
