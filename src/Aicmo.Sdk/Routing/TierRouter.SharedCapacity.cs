using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Routing;

/// <summary>Owners' capacities held across processes through <see cref="ILimitCounters"/>.</summary>
public sealed partial class TierRouter
{
    // Whether the decision assigned an owner whose capacity is limited (only those take a slot in the counters).
    private bool HasCapacity(RoutingDecision decision) =>
        decision.Owner is { } owner && _teams.TryGetValue(decision.Team, out var team) && team.Find(owner) is { Capacity: > 0 };

    // The router chose an owner with room in its own memory; the counters shared with the other processes decide. When they
    // refuse, the local assignment is taken back, the owner is skipped until the counters say it has room, and the lead is
    // routed again: to the next owner with room, or to nobody when every owner is full.
    private async ValueTask<RoutingDecision> TakeSharedSlotAsync(Lead lead, RoutingDecision decision, DateTimeOffset now, CancellationToken cancellationToken)
    {
        while (true)
        {
            var team = _teams[decision.Team];
            var owner = team.Find(decision.Owner!)!;
            var outcome = await _limits!.TryTakeAsync(new[] { new RollingLimit(owner.LimitKey, owner.Capacity, _options.CapacityWindow) }, now, cancellationToken)
                .ConfigureAwait(false);
            if (outcome.Taken)
            {
                return decision;
            }

            team.Refuse(owner, now, outcome.RetryAt);
            decision = Route(lead, now, commit: true);
            if (!HasCapacity(decision))
            {
                return decision;
            }
        }
    }

    private sealed partial class Team
    {
        // The instant of the assignment being made, read by Owner.CanTake (under the team's lock).
        private long _nowTicks;

        public static string LimitKeyOf(string team, string owner) =>
            string.Concat("routing/", team.ToLowerInvariant(), "/", owner.ToLowerInvariant());

        public Owner? Find(string owner)
        {
            foreach (var o in _owners)
            {
                if (string.Equals(o.Name, owner, StringComparison.OrdinalIgnoreCase))
                {
                    return o;
                }
            }

            return null;
        }

        // Takes back the assignment made at now, and keeps the owner out of the rotation until the counters have room for it.
        public void Refuse(Owner owner, DateTimeOffset now, DateTimeOffset retryAt)
        {
            lock (_gate)
            {
                var at = now.UtcTicks;
                var kept = owner.Assigned.ToList();
                var index = kept.LastIndexOf(at);
                if (index >= 0)
                {
                    kept.RemoveAt(index);
                    owner.Assigned.Clear();
                    foreach (var t in kept)
                    {
                        owner.Assigned.Enqueue(t);
                    }

                    owner.Total--;
                }

                owner.BlockedUntil = Math.Max(owner.BlockedUntil, retryAt.UtcTicks);
            }
        }
    }

    private sealed partial class Owner
    {
        /// <summary>Gets the owner's key in the counters: <c>routing/{team}/{owner}</c>, lower case.</summary>
        public string LimitKey { get; init; } = string.Empty;

        /// <summary>Gets or sets until when (UTC ticks) the counters shared with other processes have no room for the owner.</summary>
        public long BlockedUntil { get; set; }
    }
}
