using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;

namespace Aicmo.Sdk.Scoring;
// What the evaluators read: the input worked out once per lead, and the fixed reasons of the target-list and intent signals.
internal static partial class BuiltInSignals
{
    /// <summary>The reasons of a target-list signal, built once rather than per lead.</summary>
    private sealed class MatchReasons(string what)
    {
        public (double, string) NoTargets { get; } = (0.5, $"no target {what} configured");

        public (double, string) Unknown { get; } = (0, $"{what} unknown");

        public (double, string) Target { get; } = (1, $"target {what}");

        public (double, string) NotTarget { get; } = (0, $"not a target {what}");
    }

    /// <summary>An intent counter attribute, what it counts, and the reason when it holds nothing.</summary>
    private sealed class IntentSignal(string attribute, string what)
    {
        public string Attribute { get; } = attribute;

        public string What { get; } = what;

        public (double, string) None { get; } = (0, $"no {what}");

        /// <summary>The reasons by (count, saturation: their bits; whether a decay is shown), when a decay shows as 100% after 0 days.</summary>
        public ReasonMemo<(long Count, long Saturation, bool Decayed)> Reasons { get; } = new(256);
    }

    /// <summary>
    /// What the title signals read from a title: worked out once per distinct title and remembered (titles repeat a lot
    /// across leads), so the word searches and the reasons are not made for every lead. Bounded and thread-safe; justified by
    /// benchmarks/results/EngineBenchmarks-caches-before-after.md.
    /// </summary>
    internal sealed class TitleFacts
    {
        private const int CacheCapacity = 16_384;
        private static readonly ConcurrentDictionary<string, TitleFacts> Cache = new(StringComparer.Ordinal);
        private static int s_cached;

        private TitleFacts(string title)
        {
            Seniority = BuiltInSignals.Seniority(title);
            DecisionMaker = BuiltInSignals.DecisionMaker(title);
            Functions = FunctionsOf(title);
        }

        public (double, string) Seniority { get; }

        public (double, string) DecisionMaker { get; }

        public int Functions { get; }

        /// <summary>Returns the facts of a title, or <see langword="null"/> when it is blank.</summary>
        public static TitleFacts? Of(string? title)
        {
            if (string.IsNullOrWhiteSpace(title))
            {
                return null;
            }

            if (Cache.TryGetValue(title, out var facts))
            {
                return facts;
            }

            facts = new TitleFacts(title);
            // ConcurrentDictionary.Count takes every lock; a counter of our own is enough to bound the cache.
            if (Volatile.Read(ref s_cached) < CacheCapacity && Cache.TryAdd(title, facts))
            {
                Interlocked.Increment(ref s_cached);
            }

            return facts;
        }
    }

    /// <summary>What every evaluator reads: the lead, the options, the time and the intent decay worked out once per lead.</summary>
    /// <remarks>A struct passed by reference: scoring a lead allocates nothing for it.</remarks>
    public readonly struct Input
    {
        public Input(Lead lead, RuleBasedScorerOptions options, DateTimeOffset now)
        {
            Lead = lead;
            Options = options;
            Now = now;
            EmailValid = lead.Email is { } email && EmailAddress.IsValid(email);
            var observedAt = lead.CreatedAt;
            if (lead.HasAttributes && lead.Attributes.TryGetValue(IntentAttributes.LastActivityAt, out var text) &&
                DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                observedAt = at;
                HasActivityDate = true;
            }

            ActivityAge = observedAt == default || observedAt > now ? TimeSpan.Zero : now - observedAt;
            Decay = options.IntentHalfLife > TimeSpan.Zero && ActivityAge > TimeSpan.Zero ? Math.Pow(0.5, ActivityAge / options.IntentHalfLife) : 1;
            Title = TitleFacts.Of(lead.Title);
        }

        public TitleFacts? Title { get; }

        public Lead Lead { get; }

        public RuleBasedScorerOptions Options { get; }

        public DateTimeOffset Now { get; }

        public bool EmailValid { get; }

        public ReadOnlySpan<char> EmailDomain => EmailAddress.DomainOf(Lead.Email);

        public bool HasActivityDate { get; }

        public TimeSpan ActivityAge { get; }

        public double Decay { get; }
    }
}
