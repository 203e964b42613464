namespace Aicmo.Sdk.Routing;

/// <summary>
/// Options of <see cref="TierRouter"/>: ordered rules (first match wins) mapping a lead to a team and a sequence, the teams
/// with their owners, and the route taken when no rule matches. Every property is settable and bindable from <c>IConfiguration</c>.
/// </summary>
/// <remarks>
/// When both <see cref="Rules"/> and <see cref="Teams"/> are empty the router uses a built-in example: <c>enterprise</c>
/// (score 0.75 and above, owners ae-1 and ae-2), <c>growth</c> (0.5 and above, sdr-1 to sdr-3) and the default
/// <c>nurture</c> team (owner marketing), all round-robin without capacity limits.
/// </remarks>
public sealed class TierRouterOptions
{
    /// <summary>Gets or sets the rules, tried in order; the first that matches decides the team and the sequence.</summary>
    public IList<RoutingRule> Rules { get; set; } = [];

    /// <summary>Gets or sets the teams by name (case-insensitive).</summary>
    public IDictionary<string, RoutingTeam> Teams { get; set; } = new Dictionary<string, RoutingTeam>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the team that takes leads no rule matches.</summary>
    /// <value>The default value is <c>nurture</c>.</value>
    public string DefaultTeam { get; set; } = "nurture";

    /// <summary>Gets or sets the sequence of leads no rule matches.</summary>
    /// <value>The default value is <c>nurture-intro</c>.</value>
    public string DefaultSequence { get; set; } = "nurture-intro";

    /// <summary>Gets or sets the rolling window an owner's <see cref="RoutingOwner.DailyCapacity"/> applies to.</summary>
    /// <value>The default value is 24 hours.</value>
    public TimeSpan CapacityWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Returns the options the router works with: these, or the built-in example when no rule and no team is configured.</summary>
    /// <returns>The effective options.</returns>
    public TierRouterOptions Effective()
    {
        if (Rules is { Count: > 0 } || Teams is { Count: > 0 })
        {
            return this;
        }

        return new TierRouterOptions
        {
            DefaultTeam = DefaultTeam,
            DefaultSequence = DefaultSequence,
            CapacityWindow = CapacityWindow,
            Rules =
            {
                new RoutingRule { Name = "enterprise", MinScore = 0.75, Team = "enterprise", Sequence = "enterprise-intro" },
                new RoutingRule { Name = "growth", MinScore = 0.5, Team = "growth", Sequence = "growth-intro" },
            },
            Teams =
            {
                ["enterprise"] = new RoutingTeam { Owners = { new RoutingOwner { Name = "ae-1" }, new RoutingOwner { Name = "ae-2" } } },
                ["growth"] = new RoutingTeam { Owners = { new RoutingOwner { Name = "sdr-1" }, new RoutingOwner { Name = "sdr-2" }, new RoutingOwner { Name = "sdr-3" } } },
                [DefaultTeam ?? "nurture"] = new RoutingTeam { Owners = { new RoutingOwner { Name = "marketing" } } },
            },
        };
    }

    /// <summary>Validates the options; every failure names the option.</summary>
    /// <param name="prefix">The path of these options, for example <c>AicmoPipelineOptions.Routing</c>.</param>
    /// <returns>The failures; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate(string prefix = nameof(TierRouterOptions))
    {
        var failures = new List<string>();
        if (Rules is null || Teams is null)
        {
            failures.Add($"{prefix}: Rules and Teams cannot be null.");
            return failures;
        }

        var o = Effective();
        if (CapacityWindow <= TimeSpan.Zero || CapacityWindow > TimeSpan.FromDays(31))
        {
            failures.Add($"{prefix}.{nameof(CapacityWindow)} must be greater than 0 and at most 31 days (was {CapacityWindow}).");
        }

        if (string.IsNullOrWhiteSpace(DefaultSequence))
        {
            failures.Add($"{prefix}.{nameof(DefaultSequence)} must be set.");
        }

        if (string.IsNullOrWhiteSpace(DefaultTeam) || !o.Teams.ContainsKey(DefaultTeam))
        {
            failures.Add($"{prefix}.{nameof(DefaultTeam)} must name a team of {prefix}.Teams (was '{DefaultTeam}').");
        }

        for (var i = 0; i < o.Rules.Count; i++)
        {
            var rule = o.Rules[i];
            var path = $"{prefix}.Rules[{i}]";
            if (rule is null)
            {
                failures.Add($"{path} cannot be null.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(rule.Name))
            {
                failures.Add($"{path}.Name must be set.");
            }

            if (string.IsNullOrWhiteSpace(rule.Team) || !o.Teams.ContainsKey(rule.Team))
            {
                failures.Add($"{path}.Team must name a team of {prefix}.Teams (was '{rule.Team}').");
            }

            if (string.IsNullOrWhiteSpace(rule.Sequence))
            {
                failures.Add($"{path}.Sequence must be set.");
            }

            foreach (var (name, value) in new[] { ("MinScore", rule.MinScore), ("MaxScore", rule.MaxScore), ("MinIntent", rule.MinIntent) })
            {
                if (value is { } v && !(v is >= 0 and <= 1))
                {
                    failures.Add($"{path}.{name} must be between 0 and 1 (was {v}).");
                }
            }

            if (rule.MinScore > rule.MaxScore)
            {
                failures.Add($"{path}.MaxScore must not be below MinScore.");
            }

            if (rule.MinCompanySize > rule.MaxCompanySize)
            {
                failures.Add($"{path}.MaxCompanySize must not be below MinCompanySize.");
            }
        }

        if (o.Rules.Where(r => r?.Name is not null).GroupBy(r => r.Name, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
        {
            failures.Add($"{prefix}.Rules: rule names must be unique.");
        }

        foreach (var (teamName, team) in o.Teams)
        {
            var path = $"{prefix}.Teams[\"{teamName}\"]";
            if (team is null)
            {
                failures.Add($"{path} cannot be null.");
                continue;
            }

            if (!Enum.IsDefined(team.Strategy))
            {
                failures.Add($"{path}.Strategy must be RoundRobin, Weighted or LeastLoaded (was {team.Strategy}).");
            }

            if (team.Owners is not { Count: > 0 })
            {
                failures.Add($"{path}.Owners must hold at least one owner.");
                continue;
            }

            for (var i = 0; i < team.Owners.Count; i++)
            {
                var owner = team.Owners[i];
                if (owner is null || string.IsNullOrWhiteSpace(owner.Name))
                {
                    failures.Add($"{path}.Owners[{i}].Name must be set.");
                    continue;
                }

                if (!double.IsFinite(owner.Weight) || owner.Weight <= 0)
                {
                    failures.Add($"{path}.Owners[{i}].Weight must be greater than 0 (was {owner.Weight}).");
                }

                if (owner.DailyCapacity < 0)
                {
                    failures.Add($"{path}.Owners[{i}].DailyCapacity cannot be negative (was {owner.DailyCapacity}); 0 means no limit.");
                }
            }

            if (team.Owners.Where(w => w?.Name is not null).GroupBy(w => w.Name, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
            {
                failures.Add($"{path}.Owners: owner names must be unique within the team.");
            }
        }

        return failures;
    }
}
