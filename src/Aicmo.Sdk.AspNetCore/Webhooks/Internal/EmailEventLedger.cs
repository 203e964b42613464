using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.AspNetCore.Webhooks.Internal;

/// <summary>
/// The provider event ids this process applied within the replay window (twice <see cref="AicmoApiOptions.EmailEventsTolerance"/>):
/// a signed call replayed inside the window, or a provider's retry of a delivered call, is accepted and its events already seen
/// are not applied again. Older calls are refused by their timestamp, so an id need not be kept longer.
/// </summary>
/// <remarks>
/// Events are applied idempotently in any case (a lead already stopped stays as it is); the ledger keeps a replay from undoing a
/// later change, such as an address an operator removed from the suppression list. It is per process: on several hosts behind a
/// load balancer, a replay that reaches another host within the window is applied there (idempotently).
/// </remarks>
internal sealed class EmailEventLedger(IOptions<AicmoApiOptions> options, TimeProvider time)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    public int Count => _seen.Count;

    /// <summary>Claims <paramref name="eventId"/>; <see langword="false"/> when it was applied (or is being applied) already.</summary>
    public bool TryClaim(string eventId)
    {
        var now = time.GetUtcNow();
        if (_seen.Count >= PruneAbove)
        {
            var cutoff = now - (2 * options.Value.EmailEventsTolerance);
            foreach (var (id, at) in _seen)
            {
                if (at < cutoff)
                {
                    _seen.TryRemove(new KeyValuePair<string, DateTimeOffset>(id, at));
                }
            }
        }

        return _seen.TryAdd(eventId, now);
    }

    /// <summary>Forgets a claim whose event could not be applied, so the provider's retry applies it.</summary>
    public void Release(string eventId) => _seen.TryRemove(eventId, out _);
}
