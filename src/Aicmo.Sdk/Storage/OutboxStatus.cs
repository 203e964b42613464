using System.Globalization;

namespace Aicmo.Sdk.Storage;

/// <summary>The state of an outbox entry.</summary>
public enum OutboxStatus
{
    /// <summary>
    /// Claimed for a send that has not been confirmed. While the claim is live (<see cref="OutboxEntry.ClaimExpiresAt"/>) nobody
    /// else sends the key; an entry left here by a process that died is the one ambiguous case: it is re-sent, with the same key,
    /// only after its claim has expired, and counted as a possible duplicate.
    /// </summary>
    Pending,

    /// <summary>The mail transport accepted the email.</summary>
    Sent,

    /// <summary>The last attempt failed; <see cref="OutboxEntry.Error"/> says why.</summary>
    Failed,

    /// <summary>Dry-run mode: rendered and recorded, never sent.</summary>
    DryRun,
}
