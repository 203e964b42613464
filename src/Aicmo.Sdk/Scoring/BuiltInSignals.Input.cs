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

    }

    /// <summary>What the title signals read from a title, worked out once per lead for the three of them.</summary>
    internal sealed class TitleFacts
    {
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

            return new TitleFacts(title);
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
