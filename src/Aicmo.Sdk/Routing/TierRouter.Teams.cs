using System.Globalization;
using System.Text;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Scoring;
using Aicmo.Sdk.Stages;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Routing;

// The teams of a TierRouter and their owners: assignment by strategy within each owner's capacity window.
public sealed partial class TierRouter
{
    private sealed partial class Team
    {
        private readonly object _gate = new();
        private readonly Owner[] _owners;
        private readonly AssignmentStrategy _strategy;
        private readonly TimeSpan _window;
        private int _next;

        public Team(string name, RoutingTeam options, TimeSpan window)
        {
            Name = name;
            _strategy = options.Strategy;
            _window = window;
            _owners = options.Owners.Select(o => new Owner(o.Name, o.Weight, o.DailyCapacity, o.Available) { LimitKey = LimitKeyOf(name, o.Name) }).ToArray();
        }

        public string Name { get; }

        public void SetAvailability(string owner, bool available)
        {
            lock (_gate)
            {
                var o = _owners.FirstOrDefault(x => string.Equals(x.Name, owner, StringComparison.OrdinalIgnoreCase))
                    ?? throw new KeyNotFoundException($"Team '{Name}' has no owner named '{owner}'.");
                o.Available = available;
            }
        }

        public void Record(string owner, DateTimeOffset at)
        {
            lock (_gate)
            {
                var o = _owners.FirstOrDefault(x => string.Equals(x.Name, owner, StringComparison.OrdinalIgnoreCase))
                    ?? throw new KeyNotFoundException($"Team '{Name}' has no owner named '{owner}'.");

                // Keep the window ordered by time, so expiry from the front stays correct.
                var ordered = o.Assigned.Append(at.UtcTicks).Order().ToArray();
                o.Assigned.Clear();
                foreach (var t in ordered)
                {
                    o.Assigned.Enqueue(t);
                }

                o.Total++;
            }
        }

        public IReadOnlyDictionary<string, int> Loads(DateTimeOffset now)
        {
            lock (_gate)
            {
                return _owners.ToDictionary(o => o.Name, o => o.Load(now - _window), StringComparer.OrdinalIgnoreCase);
            }
        }

        public Assignment Assign(DateTimeOffset now, bool commit = true)
        {
            lock (_gate)
            {
                var windowStart = now - _window;
                _nowTicks = now.UtcTicks;
                var next = _next;
                var weights = commit || _strategy != AssignmentStrategy.Weighted ? null : Array.ConvertAll(_owners, static o => o.Current);
                var chosen = _strategy switch
                {
                    AssignmentStrategy.Weighted => Weighted(windowStart),
                    AssignmentStrategy.LeastLoaded => LeastLoaded(windowStart),
                    _ => RoundRobin(windowStart),
                };

                if (!commit)
                {
                    // A preview: the rotation stays where it was.
                    _next = next;
                    for (var i = 0; weights is not null && i < _owners.Length; i++)
                    {
                        _owners[i].Current = weights[i];
                    }
                }

                if (chosen is null)
                {
                    return new Assignment(null, string.Empty, 0, 0, Why(windowStart));
                }

                // Assignments that left the window are dropped here too, so an owner without a capacity keeps only the window.
                chosen.Load(windowStart);
                if (commit)
                {
                    chosen.Assigned.Enqueue(now.UtcTicks);
                    chosen.Total++;
                }

                var strategy = _strategy switch
                {
                    AssignmentStrategy.Weighted => "weighted round-robin",
                    AssignmentStrategy.LeastLoaded => "least-loaded",
                    _ => "round-robin",
                };

                // The reason is written by the caller, outside the lock.
                return new Assignment(chosen.Name, strategy, chosen.Assigned.Count + (commit ? 0 : 1), chosen.Capacity, null);
            }
        }

        private Owner? RoundRobin(DateTimeOffset windowStart)
        {
            for (var i = 0; i < _owners.Length; i++)
            {
                var index = (_next + i) % _owners.Length;
                if (_owners[index].CanTake(windowStart, _nowTicks))
                {
                    _next = (index + 1) % _owners.Length;
                    return _owners[index];
                }
            }

            return null;
        }

        // Smooth weighted round-robin: every eligible owner gains its weight, the richest takes the lead and pays the total.
        // Over any stretch the shares follow the weights, interleaved rather than in bursts; ties go to the owner listed first.
        private Owner? Weighted(DateTimeOffset windowStart)
        {
            Owner? best = null;
            double eligibleWeight = 0;
            foreach (var owner in _owners)
            {
                if (!owner.CanTake(windowStart, _nowTicks))
                {
                    continue;
                }

                owner.Current += owner.Weight;
                eligibleWeight += owner.Weight;
                if (best is null || owner.Current > best.Current)
                {
                    best = owner;
                }
            }

            if (best is not null)
            {
                best.Current -= eligibleWeight;
            }

            return best;
        }

        private Owner? LeastLoaded(DateTimeOffset windowStart)
        {
            Owner? best = null;
            foreach (var owner in _owners)
            {
                if (owner.CanTake(windowStart, _nowTicks) &&
                    (best is null || owner.Load(windowStart) < best.Load(windowStart) ||
                     (owner.Load(windowStart) == best.Load(windowStart) && owner.Total < best.Total)))
                {
                    best = owner;
                }
            }

            return best;
        }

        private string Why(DateTimeOffset windowStart)
        {
            var sb = new StringBuilder("every owner of team ").Append(Name).Append(" is unavailable or at capacity (");
            for (var i = 0; i < _owners.Length; i++)
            {
                var o = _owners[i];
                if (i > 0)
                {
                    sb.Append(", ");
                }

                sb.Append(o.Name).Append(' ');
                if (!o.Available)
                {
                    sb.Append("unavailable");
                }
                else if (o.BlockedUntil > _nowTicks)
                {
                    sb.Append("at capacity across processes until ").Append(new DateTimeOffset(o.BlockedUntil, TimeSpan.Zero).ToString("u", CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append(CultureInfo.InvariantCulture, $"at capacity {o.Load(windowStart)}/{o.Capacity}");
                }
            }

            return sb.Append(')').ToString();
        }

    }

    /// <summary>The outcome of one assignment: the owner and what the reason says about it, or why nobody was assigned.</summary>
    private readonly record struct Assignment(string? Owner, string Strategy, int Load, int Capacity, string? Unassigned);

    private sealed partial class Owner(string name, double weight, int capacity, bool available)
    {
        public string Name { get; } = name;

        public double Weight { get; } = weight;

        public int Capacity { get; } = capacity;

        public bool Available { get; set; } = available;

        // When each lead in the window was assigned, as UTC ticks (half the size of a DateTimeOffset), oldest first.
        public Queue<long> Assigned { get; } = new();

        public long Total { get; set; }

        public double Current { get; set; }

        public int Load(DateTimeOffset windowStart)
        {
            var start = windowStart.UtcTicks;
            while (Assigned.TryPeek(out var oldest) && oldest <= start)
            {
                Assigned.Dequeue();
            }

            return Assigned.Count;
        }

        public bool CanTake(DateTimeOffset windowStart, long now) => Available && (Capacity == 0 || (BlockedUntil <= now && Load(windowStart) < Capacity));
    }
}
