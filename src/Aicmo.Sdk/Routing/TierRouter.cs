using System.Globalization;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Routing;

/// <summary>One tier of <see cref="TierRouter"/>: the leads scoring at least <see cref="MinScore"/> and the team that takes them.</summary>
public sealed class RoutingTier
{
    /// <summary>Gets or sets the tier (team) name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the lowest score of the tier.</summary>
    public double MinScore { get; set; }

    /// <summary>Gets or sets the nurture sequence leads of this tier enter.</summary>
    public string Sequence { get; set; } = string.Empty;

    /// <summary>Gets the owners of the tier, assigned in turn. A tier with no owner sends its leads to manual review.</summary>
    public IList<string> Owners { get; } = [];
}

/// <summary>Options of <see cref="TierRouter"/>.</summary>
public sealed class TierRouterOptions
{
    /// <summary>Gets the tiers. The first tier (in descending <see cref="RoutingTier.MinScore"/>) the score reaches wins.</summary>
    /// <value>By default: enterprise (0.75, two owners), growth (0.5, three owners), nurture (0, one owner).</value>
    public IList<RoutingTier> Tiers { get; } =
    [
        new RoutingTier { Name = "enterprise", MinScore = 0.75, Sequence = "enterprise-intro", Owners = { "ae-1", "ae-2" } },
        new RoutingTier { Name = "growth", MinScore = 0.5, Sequence = "growth-intro", Owners = { "sdr-1", "sdr-2", "sdr-3" } },
        new RoutingTier { Name = "nurture", MinScore = 0, Sequence = "nurture-intro", Owners = { "marketing" } },
    ];
}

/// <summary>The default router: picks the tier by score and assigns the tier's owners in turn (round-robin).</summary>
public sealed class TierRouter : ILeadRouter
{
    private readonly Tier[] _tiers;

    /// <summary>Initializes a new instance of the <see cref="TierRouter"/> class.</summary>
    /// <param name="options">The pipeline options; <see cref="AicmoPipelineOptions.Routing"/> is used.</param>
    public TierRouter(IOptions<AicmoPipelineOptions> options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value.Routing)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TierRouter"/> class.</summary>
    /// <param name="options">The router options.</param>
    public TierRouter(TierRouterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tiers = options.Tiers.OrderByDescending(t => t.MinScore).Select(t => new Tier(t)).ToArray();
    }

    /// <inheritdoc />
    public ValueTask<RoutingDecision> RouteAsync(Lead lead, StageContext context, CancellationToken cancellationToken) => new(Route(lead));

    /// <summary>Routes a lead synchronously.</summary>
    /// <param name="lead">The lead, with a score.</param>
    /// <returns>The decision.</returns>
    public RoutingDecision Route(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var score = lead.Score?.Value ?? throw new InvalidOperationException("The lead has no score; routing runs after scoring.");
        foreach (var tier in _tiers)
        {
            if (score >= tier.Options.MinScore)
            {
                return tier.Assign();
            }
        }

        return new RoutingDecision("unrouted", null, string.Empty, "none", "no tier accepts this score");
    }

    private sealed class Tier(RoutingTier options)
    {
        private readonly string[] _owners = options.Owners.ToArray();
        private readonly string _reason = string.Create(CultureInfo.InvariantCulture, $"score at or above {options.MinScore:0.00}");
        private readonly string _noOwnerReason = $"tier {options.Name} has no owner";
        private long _next = -1;

        public RoutingTier Options { get; } = options;

        public RoutingDecision Assign()
        {
            if (_owners.Length == 0)
            {
                return new RoutingDecision(Options.Name, null, Options.Sequence, Options.Name, _noOwnerReason);
            }

            var turn = (ulong)Interlocked.Increment(ref _next);
            var owner = _owners[(int)(turn % (ulong)_owners.Length)];
            return new RoutingDecision(Options.Name, owner, Options.Sequence, Options.Name, _reason);
        }
    }
}
