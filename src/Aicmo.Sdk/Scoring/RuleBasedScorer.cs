using System.Globalization;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Stages;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Scoring;

/// <summary>
/// The default scorer: named scores (<c>fit</c>, <c>intent</c>) built from weighted signals of the lead's fields and
/// attributes, combined into one score in [0, 1] with a grade.
/// </summary>
/// <remarks>
/// The score is a ledger. A component's contribution is its score's share × its weight ÷ the positive weights of that
/// score × its raw value, so the combined score is exactly the sum of the contributions (then clamped to [0, 1]), and a
/// named score is the sum of its components' contributions ÷ its share. Intent signals decay with a half-life, and the
/// clock is the stage context's <see cref="TimeProvider"/>.
/// </remarks>
public sealed class RuleBasedScorer : ILeadScorer
{
    private readonly RuleBasedScorerOptions _options;
    private readonly TimeProvider _time;
    private readonly ActiveSignal[] _signals;
    private readonly string[] _scoreNames;
    private readonly double[] _scoreShares;

    /// <summary>Initializes a new instance of the <see cref="RuleBasedScorer"/> class.</summary>
    /// <param name="options">The scorer options, validated when the host starts.</param>
    /// <param name="timeProvider">The clock used by <see cref="Score(Lead)"/>; the pipeline passes its own clock to <see cref="ScoreAsync"/>.</param>
    [Microsoft.Extensions.DependencyInjection.ActivatorUtilitiesConstructor]
    public RuleBasedScorer(IOptions<RuleBasedScorerOptions> options, TimeProvider? timeProvider = null)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value, timeProvider, validate: false)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RuleBasedScorer"/> class.</summary>
    /// <param name="options">The scorer options.</param>
    /// <param name="timeProvider">The clock used by <see cref="Score(Lead)"/>; <see cref="TimeProvider.System"/> when omitted.</param>
    /// <exception cref="ArgumentException">The options are not valid; the message names every bad option.</exception>
    public RuleBasedScorer(RuleBasedScorerOptions options, TimeProvider? timeProvider = null)
        : this(options, timeProvider, validate: true)
    {
    }

    // The options a host registers are validated on start, by their own validator; options handed in directly are validated here.
    private RuleBasedScorer(RuleBasedScorerOptions options, TimeProvider? timeProvider, bool validate)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = timeProvider ?? TimeProvider.System;
        IReadOnlyList<string> failures = validate ? options.Validate() : [];
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        var candidates = new List<(string Name, string Score, double Weight, BuiltInSignals.Evaluator? BuiltIn, AttributeRule? Rule)>();
        foreach (var (name, defaultWeight) in ScoringSignals.DefaultWeights)
        {
            var weight = options.Weights.TryGetValue(name, out var w) ? w : defaultWeight;
            candidates.Add((name, ScoringSignals.ScoreOf(name), weight, BuiltInSignals.Evaluators[name], null));
        }

        foreach (var rule in options.AttributeRules)
        {
            var weight = options.Weights.TryGetValue(rule.Signal, out var w) ? w : rule.Weight;
            candidates.Add((rule.Signal, rule.Score, weight, null, rule));
        }

        candidates.RemoveAll(c => c.Weight == 0);

        // A named score takes part only when it has a positive signal; the shares of the others are renormalized.
        var positive = candidates.Where(c => c.Weight > 0).GroupBy(c => c.Score).ToDictionary(g => g.Key, g => g.Sum(c => c.Weight), StringComparer.Ordinal);
        _scoreNames = options.ScoreWeights.Where(p => p.Value > 0 && positive.ContainsKey(p.Key)).Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
        var shareTotal = _scoreNames.Sum(n => options.ScoreWeights[n]);
        _scoreShares = _scoreNames.Select(n => shareTotal > 0 ? options.ScoreWeights[n] / shareTotal : 0).ToArray();

        _signals = candidates
            .Select(c =>
            {
                var index = Array.IndexOf(_scoreNames, c.Score);
                var factor = index < 0 ? 0 : _scoreShares[index] * c.Weight / positive[c.Score];
                return new ActiveSignal(c.Name, c.Score, index, c.Weight, factor, c.BuiltIn, c.Rule);
            })
            .ToArray();
    }

    /// <inheritdoc />
    public ValueTask<LeadScore> ScoreAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new(Score(lead, context.TimeProvider.GetUtcNow()));
    }

    /// <summary>Scores a lead synchronously, at the time of the clock given to the constructor.</summary>
    /// <param name="lead">The lead.</param>
    /// <returns>The score with one component per active signal.</returns>
    public LeadScore Score(Lead lead) => Score(lead, _time.GetUtcNow());

    /// <summary>Scores a lead synchronously at a given time (intent decay and freshness are measured to it).</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The score with one component per active signal.</returns>
    public LeadScore Score(Lead lead, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var input = new BuiltInSignals.Input(lead, _options, now);
        var components = new ScoreComponent[_signals.Length];
        // The sums per named score: on the stack for any sensible number of scores.
        var perScore = _scoreNames.Length <= 16 ? stackalloc double[_scoreNames.Length] : new double[_scoreNames.Length];
        double total = 0;
        for (var i = 0; i < _signals.Length; i++)
        {
            var signal = _signals[i];
            var (raw, reason) = signal.BuiltIn is { } evaluate ? evaluate(in input) : BuiltInSignals.EvaluateRule(signal.Rule!, lead);
            raw = double.IsFinite(raw) ? Math.Clamp(raw, 0, 1) : 0;
            var contribution = signal.Factor * raw;
            total += contribution;
            if (signal.ScoreIndex >= 0)
            {
                perScore[signal.ScoreIndex] += contribution;
            }

            components[i] = signal.Component(raw, contribution, reason);
        }

        for (var s = 0; s < _scoreNames.Length; s++)
        {
            perScore[s] = Math.Clamp(perScore[s] / _scoreShares[s], 0, 1);
        }

        var value = Math.Clamp(total, 0, 1);
        return new LeadScore(value, _options.GradeOf(value), components) { Scores = new NamedScores(_scoreNames, perScore) };
    }

    private sealed class ActiveSignal(
        string name, string score, int scoreIndex, double weight, double factor, BuiltInSignals.Evaluator? builtIn, AttributeRule? rule)
    {
        // Most outcomes of a signal are one of a few fixed reasons with a fixed value, the same for many leads. Components are
        // immutable, so one instance per (reason text, raw value) is shared instead of allocating one per lead. Keys compare the
        // reason's text, not its reference: formatted reasons are new strings for every lead, and hashing a new string by
        // reference gives it an identity hash code through the runtime's slow path, which cost more than the whole cache
        // saved (FullPipelineBenchmarks-regression.md); by text, a formatted reason that repeats finds its component too.
        private const int CacheCapacity = 64;
        private const int ValuesPerReason = 8;
        private Dictionary<string, ScoreComponent[]> _shared = new(StringComparer.Ordinal);

        // Written by any scoring thread; components are immutable, so whichever one a thread reads is valid.
        private ScoreComponent? _recent;

        public string Name { get; } = name;

        public string Score { get; } = score;

        public int ScoreIndex { get; } = scoreIndex;

        public double Weight { get; } = weight;

        public double Factor { get; } = factor;

        public BuiltInSignals.Evaluator? BuiltIn { get; } = builtIn;

        public AttributeRule? Rule { get; } = rule;

        public ScoreComponent Component(double raw, double contribution, string reason)
        {
            // Consecutive leads often share an outcome: try the last one handed out before the map.
            var recent = _recent;
            if (recent is not null && string.Equals(recent.Reason, reason, StringComparison.Ordinal) && SameValue(recent.RawValue, raw))
            {
                return recent;
            }

            var shared = Volatile.Read(ref _shared);
            if (shared.TryGetValue(reason, out var candidates))
            {
                foreach (var candidate in candidates)
                {
                    if (SameValue(candidate.RawValue, raw))
                    {
                        _recent = candidate;
                        return candidate;
                    }
                }
            }

            var component = new ScoreComponent(Name, Weight, raw, contribution, reason) { ScoreName = Score };
            // Bounded both ways: a reason whose value varies from lead to lead (a constant text over a decaying value) must not
            // grow its list, and with it the copy made on every miss, without limit.
            if (shared.Count < CacheCapacity && (candidates is null || candidates.Length < ValuesPerReason))
            {
                // Copy on write: readers never see a dictionary being changed; losing a race only loses this one entry.
                var next = new Dictionary<string, ScoreComponent[]>(shared, StringComparer.Ordinal);
                next[reason] = candidates is null ? [component] : [.. candidates, component];
                Interlocked.CompareExchange(ref _shared, next, shared);
            }

            return component;
        }

        private static bool SameValue(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);
    }
}
