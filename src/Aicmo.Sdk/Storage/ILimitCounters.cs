namespace Aicmo.Sdk.Storage;

/// <summary>
/// Counts slots per key in rolling windows and takes one only while every limit named has room: the routing owners'
/// capacities (<see cref="Routing.TierRouter"/>) and the mailbox and recipient-domain send throttles
/// (<see cref="Nurture.EmailNurturer"/>) are held through it.
/// </summary>
/// <remarks>
/// <para>
/// The in-memory counters (the default) hold the limits for one process, as the engines always did. The SQLite and PostgreSQL
/// stores register counters kept in the database, so several processes sharing one store share the limits: three workers on
/// one PostgreSQL database together respect one owner's daily capacity.
/// </para>
/// <para>
/// A slot taken at <c>t</c> counts against a limit with window <c>W</c> at <c>now</c> while <c>t &gt; now - W</c>. Taking is
/// atomic across every caller of the store: of any number of concurrent callers, no more than the limit get a slot.
/// Implementations must be thread-safe, and the store-backed ones safe across processes.
/// </para>
/// </remarks>
public interface ILimitCounters
{
    /// <summary>The longest key a store must keep, in characters.</summary>
    const int MaxKeyLength = 512;

    /// <summary>
    /// Takes one slot at <paramref name="now"/> for every distinct key of <paramref name="limits"/> when every limit has room,
    /// or none when one of them is full; in that case returns when they all have room again.
    /// </summary>
    /// <param name="limits">The limits; several may name one key with different windows (per hour and per day). Not empty.</param>
    /// <param name="now">The current time; the slot is taken at it.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>Whether the slot was taken, or which limit is full and when to retry.</returns>
    /// <exception cref="ArgumentException">A key is empty or too long, a maximum is below 1 or a window is not positive.</exception>
    ValueTask<LimitOutcome> TryTakeAsync(ReadOnlyMemory<RollingLimit> limits, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Counts the slots of <paramref name="key"/> in the window of length <paramref name="window"/> ending at <paramref name="now"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="window">The window length; positive.</param>
    /// <param name="now">The end of the window.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The count.</returns>
    ValueTask<int> CountAsync(string key, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets slots taken before <paramref name="before"/>. A slot older than every window it is counted in changes no answer,
    /// so pruning before <c>now - longest window</c> is always safe.
    /// </summary>
    /// <param name="before">Slots taken strictly before this instant are forgotten.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>How many slots were forgotten.</returns>
    ValueTask<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
