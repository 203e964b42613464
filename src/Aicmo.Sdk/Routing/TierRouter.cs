using System.Globalization;
using System.Text;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Scoring;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Routing;

/// <summary>
/// The default router: ordered rules (first match wins) choose a team and a sequence, then the team's strategy
/// (round-robin, weighted or least-loaded) assigns an owner with room in the rolling capacity window. Owners unavailable or
/// at capacity are skipped; ties go to the owner listed first, so assignment is fair and deterministic. When every owner of
/// the team is full or away, the decision has no owner (the lead goes to manual review) and its reason says why.
/// </summary>
/// <remarks>
/// Thread-safe. Assignments are counted in memory per router instance, with time from the stage context's clock. When the router
/// is given <see cref="ILimitCounters"/> (the pipeline's store registers them), an owner with a capacity is assigned only after a
/// slot was taken in the counters too, so processes sharing one store together respect each owner's capacity.
/// </remarks>
public sealed partial class TierRouter : ILeadRouter
{
    private readonly TierRouterOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Team> _teams;
    private readonly RoutingRule[] _rules;
    private readonly Team[] _ruleTeams;
    private readonly Team _defaultTeam;
    private readonly ILimitCounters? _limits;

    /// <summary>Initializes a new instance of the <see cref="TierRouter"/> class.</summary>
    /// <param name="options">The router options, validated when the host starts.</param>
    /// <param name="timeProvider">The clock used by <see cref="Route(Lead)"/>; the pipeline passes its own to <see cref="RouteAsync"/>.</param>
    /// <param name="limits">
    /// Where owners' capacities are counted besides this router's memory (the store's counters, shared by every process on it),
    /// or <see langword="null"/> to count in this router alone.
    /// </param>
    [Microsoft.Extensions.DependencyInjection.ActivatorUtilitiesConstructor]
    public TierRouter(IOptions<TierRouterOptions> options, TimeProvider? timeProvider = null, ILimitCounters? limits = null)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value, timeProvider, limits, validate: false)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TierRouter"/> class.</summary>
    /// <param name="options">The router options.</param>
    /// <param name="timeProvider">The clock used by <see cref="Route(Lead)"/>; <see cref="TimeProvider.System"/> when omitted.</param>
    /// <param name="limits">
    /// Where owners' capacities are counted besides this router's memory (the store's counters, shared by every process on it),
    /// or <see langword="null"/> to count in this router alone. Only <see cref="RouteAsync"/> takes slots in them.
    /// </param>
    /// <exception cref="ArgumentException">The options are not valid; the message names every bad option.</exception>
    public TierRouter(TierRouterOptions options, TimeProvider? timeProvider = null, ILimitCounters? limits = null)
        : this(options, timeProvider, limits, validate: true)
    {
    }

    // The options a host registers are validated on start, by their own validator; options handed in directly are validated here.
    private TierRouter(TierRouterOptions options, TimeProvider? timeProvider, ILimitCounters? limits, bool validate)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> failures = validate ? options.Validate() : [];
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        _options = options.Effective();
        _time = timeProvider ?? TimeProvider.System;
        _limits = limits;
        _teams = _options.Teams.ToDictionary(p => p.Key, p => new Team(p.Key, p.Value, _options.CapacityWindow), StringComparer.OrdinalIgnoreCase);
        _rules = [.. _options.Rules];
        _ruleTeams = Array.ConvertAll(_rules, r => _teams[r.Team]);
        _defaultTeam = _teams[_options.DefaultTeam];
    }

    /// <inheritdoc />
    public ValueTask<RoutingDecision> RouteAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = context.TimeProvider.GetUtcNow();
        var commit = !context.WritesNothing;
        var decision = Route(lead, now, commit);
        return _limits is null || !commit || !HasCapacity(decision) ? new(decision) : TakeSharedSlotAsync(lead, decision, now, cancellationToken);
    }

    /// <summary>Routes a lead synchronously at the time of the clock given to the constructor.</summary>
    /// <param name="lead">The lead, with a score.</param>
    /// <returns>The decision.</returns>
    public RoutingDecision Route(Lead lead) => Route(lead, _time.GetUtcNow());

    /// <summary>Routes a lead synchronously at a given time (capacity windows are measured to it).</summary>
    /// <param name="lead">The lead, with a score.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The decision.</returns>
    public RoutingDecision Route(Lead lead, DateTimeOffset now) => Route(lead, now, commit: true);

    // A dry run (commit false) gets the decision a real run would get now, and counts nothing against any owner.
    private RoutingDecision Route(Lead lead, DateTimeOffset now, bool commit)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var score = lead.Score ?? throw new InvalidOperationException("The lead has no score; routing runs after scoring.");
        for (var r = 0; r < _rules.Length; r++)
        {
            var rule = _rules[r];
            if (IsMatch(rule, lead, score))
            {
                var why = AcquireBuilder().Append("rule '").Append(rule.Name).Append("' matched: ");
                Describe(rule, lead, score, why);
                return Assign(_ruleTeams[r], rule.Sequence, rule.Name, why, now, commit);
            }
        }

        return Assign(_defaultTeam, _options.DefaultSequence, "default", AcquireBuilder().Append("no rule matched; default route"), now, commit);
    }

    /// <summary>Marks an owner available or unavailable (out of office) from now on.</summary>
    /// <param name="team">The team.</param>
    /// <param name="owner">The owner.</param>
    /// <param name="available">Whether the owner takes leads.</param>
    /// <exception cref="KeyNotFoundException">No such team or owner.</exception>
    public void SetAvailability(string team, string owner, bool available) => FindTeam(team).SetAvailability(owner, available);

    /// <summary>
    /// Counts an assignment made elsewhere (by another process, or before a restart, as your CRM reports it) against the
    /// owner's capacity window, so capacity holds across restarts.
    /// </summary>
    /// <param name="team">The team.</param>
    /// <param name="owner">The owner.</param>
    /// <param name="at">When the lead was assigned.</param>
    /// <exception cref="KeyNotFoundException">No such team or owner.</exception>
    public void RecordAssignment(string team, string owner, DateTimeOffset at) => FindTeam(team).Record(owner, at);

    /// <summary>Returns how many leads each owner of a team was assigned in the capacity window ending at <paramref name="now"/>.</summary>
    /// <param name="team">The team.</param>
    /// <param name="now">The end of the window.</param>
    /// <returns>The load per owner.</returns>
    public IReadOnlyDictionary<string, int> GetLoads(string team, DateTimeOffset now) => FindTeam(team).Loads(now);

    private Team FindTeam(string team) =>
        _teams.TryGetValue(team, out var t) ? t : throw new KeyNotFoundException($"The router has no team named '{team}'.");

    private RoutingDecision Assign(Team team, string sequence, string rule, StringBuilder why, DateTimeOffset now, bool commit)
    {
        var assignment = team.Assign(now, commit);
        if (assignment.Owner is null)
        {
            why.Append("; no owner assigned: ").Append(assignment.Unassigned);
        }
        else
        {
            why.Append("; owner ").Append(assignment.Owner).Append(" by ").Append(assignment.Strategy);
            if (assignment.Capacity > 0)
            {
                why.Append(CultureInfo.InvariantCulture, $" ({assignment.Load}/{assignment.Capacity} in the window)");
            }
        }

        return new RoutingDecision(team.Name, assignment.Owner, sequence, rule, ReleaseBuilder(why));
    }

    // One builder per thread for the decision's reason: the reason is the only string a routed lead needs.
    [ThreadStatic]
    private static StringBuilder? t_builder;

    private static StringBuilder AcquireBuilder()
    {
        var sb = t_builder ?? new StringBuilder(160);
        t_builder = null;
        return sb.Clear();
    }

    private static string ReleaseBuilder(StringBuilder sb)
    {
        var text = sb.ToString();
        if (sb.Capacity <= 1024)
        {
            t_builder = sb;
        }

        return text;
    }

    // Whether a rule matches, without building its explanation (most rules a lead meets do not match).
    private static bool IsMatch(RoutingRule rule, Lead lead, LeadScore score)
    {
        if (rule.MinScore is { } min && score.Value < min) return false;
        if (rule.MaxScore is { } max && score.Value >= max) return false;
        if (rule.MinIntent is { } minIntent && (score.Scores.TryGetValue(ScoreNames.Intent, out var i) ? i : 0) < minIntent) return false;
        if (!In(rule.Grades, score.Grade)) return false;
        if (!In(rule.Countries, lead.Country)) return false;
        if (rule.Regions.Count > 0 && !In(rule.Regions, Regions.Of(lead.Country))) return false;
        if (!In(rule.Industries, lead.Industry)) return false;
        if (!In(rule.Sources, lead.Source)) return false;
        if (rule.MinCompanySize is { } minSize && (lead.CompanySize is not { } small || small < minSize)) return false;
        if (rule.MaxCompanySize is { } maxSize && (lead.CompanySize is not { } large || large > maxSize)) return false;
        if (rule.Attributes.Count == 0) return true;
        foreach (var (attribute, expected) in rule.Attributes)
        {
            if (!lead.HasAttributes || !lead.Attributes.TryGetValue(attribute, out var actual) ||
                !string.Equals(actual?.Trim(), expected, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;

        static bool In(IList<string> allowed, string? value)
        {
            if (allowed.Count == 0)
            {
                return true;
            }

            var v = value?.Trim();
            if (v is null)
            {
                return false;
            }

            for (var k = 0; k < allowed.Count; k++)
            {
                if (string.Equals(allowed[k], v, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }
    }

    // Appends why a rule that matched (see IsMatch) matches: every condition it sets, joined by ", ".
    private static void Describe(RoutingRule rule, Lead lead, LeadScore score, StringBuilder why)
    {
        var inv = CultureInfo.InvariantCulture;
        var start = why.Length;
        if (rule.MinScore is { } min)
        {
            Separate(why, start).Append(inv, $"score {score.Value:0.00} >= {min:0.00}");
        }

        if (rule.MaxScore is { } max)
        {
            Separate(why, start).Append(inv, $"score {score.Value:0.00} < {max:0.00}");
        }

        if (rule.MinIntent is { } minIntent)
        {
            var intent = score.Scores.TryGetValue(ScoreNames.Intent, out var i) ? i : 0;
            Separate(why, start).Append(inv, $"intent {intent:0.00} >= {minIntent:0.00}");
        }

        In(rule.Grades, score.Grade, "grade", why, start);
        In(rule.Countries, lead.Country, "country", why, start);
        if (rule.Regions.Count > 0)
        {
            In(rule.Regions, Regions.Of(lead.Country), "region", why, start);
        }

        In(rule.Industries, lead.Industry, "industry", why, start);
        In(rule.Sources, lead.Source, "source", why, start);
        if (rule.MinCompanySize is { } minSize)
        {
            Separate(why, start).Append(inv, $"{lead.CompanySize} employees >= {minSize}");
        }

        if (rule.MaxCompanySize is { } maxSize)
        {
            Separate(why, start).Append(inv, $"{lead.CompanySize} employees <= {maxSize}");
        }

        if (rule.Attributes.Count > 0)
        {
            foreach (var (attribute, expected) in rule.Attributes)
            {
                Separate(why, start).Append(attribute).Append(" = ").Append(expected);
            }
        }

        if (why.Length == start)
        {
            why.Append("matches every lead");
        }

        static void In(IList<string> allowed, string? value, string what, StringBuilder why, int start)
        {
            if (allowed.Count > 0)
            {
                Separate(why, start).Append(what).Append(' ').Append(value?.Trim());
            }
        }

        static StringBuilder Separate(StringBuilder why, int start) => why.Length > start ? why.Append(", ") : why;
    }
}
