namespace Aicmo.Sdk.Storage;

/// <summary>
/// Remembers which transport messages were handled, so that a transport delivering a message again (after a crash, a lost
/// acknowledgement or a broker restart) drops the redelivery cheaply instead of working on its batch a second time.
/// </summary>
/// <remarks>
/// <para>
/// A message id names one delivery attempt of one batch to one stage (for the RabbitMQ transport, one per
/// (run, batch, stage, attempt)). The consumer asks <see cref="ContainsAsync"/> before it works on a message and calls
/// <see cref="TryRecordAsync"/> after the stage's writes committed: a message recorded is never worked on again, and a process
/// that dies before recording leaves the message to be worked on again (the executors' compare-and-set keeps that harmless).
/// When two consumers work on one message at once, exactly one <see cref="TryRecordAsync"/> returns <see langword="true"/>:
/// that one may report the batch's counts.
/// </para>
/// <para>Implementations must be thread-safe, and the store-backed ones safe across processes sharing the store.</para>
/// </remarks>
public interface IMessageInbox
{
    /// <summary>The longest message id a store must keep, in characters (ids are short: the RabbitMQ transport's are under 100).</summary>
    const int MaxMessageIdLength = 512;

    /// <summary>Records a message as handled unless it is already recorded, as one atomic insert-if-absent.</summary>
    /// <param name="messageId">The message id; not empty, at most <see cref="MaxMessageIdLength"/> characters, compared exactly (ordinal).</param>
    /// <param name="at">When it was handled; <see cref="PruneAsync"/> forgets it by this instant.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when this call recorded it; <see langword="false"/> when it was recorded before.</returns>
    /// <exception cref="ArgumentException"><paramref name="messageId"/> is null, empty or white space, or longer than <see cref="MaxMessageIdLength"/>.</exception>
    ValueTask<bool> TryRecordAsync(string messageId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Returns whether a message was recorded as handled (and not pruned since).</summary>
    /// <param name="messageId">The message id; not empty, at most <see cref="MaxMessageIdLength"/> characters, compared exactly (ordinal).</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when it was recorded.</returns>
    /// <exception cref="ArgumentException"><paramref name="messageId"/> is null, empty or white space, or longer than <see cref="MaxMessageIdLength"/>.</exception>
    ValueTask<bool> ContainsAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets the messages recorded before <paramref name="before"/>. Keep them longer than a message can stay in the broker
    /// (a redelivery of a forgotten message is worked on again, which the executors' compare-and-set makes harmless but not free).
    /// </summary>
    /// <param name="before">Messages recorded strictly before this instant are forgotten.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>How many were forgotten.</returns>
    ValueTask<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
