using System.Globalization;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

// Adapters that turn the typed stage interfaces into ILeadStage and apply their decisions to the lead.
// Each awaits only when the stage did not complete synchronously, so a synchronous engine costs no state machine box.

internal sealed class EnrichStage(ILeadEnricher[] enrichers) : ILeadStage
{
    public string Name => StageNames.Enrich;

    public ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        if (enrichers.Length == 1)
        {
            var pending = enrichers[0].EnrichAsync(lead, context, cancellationToken);
            return pending.IsCompletedSuccessfully ? new(Apply(pending.Result)) : Await(pending);
        }

        return RunAllAsync(lead, context, cancellationToken);

        static async ValueTask<StageResult> Await(ValueTask<EnrichmentResult> p) => Apply(await p.ConfigureAwait(false));
    }

    private async ValueTask<StageResult> RunAllAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        var filled = 0;
        var reasons = new List<string>(enrichers.Length);
        foreach (var enricher in enrichers)
        {
            var result = await enricher.EnrichAsync(lead, context, cancellationToken).ConfigureAwait(false);
            filled += result.FieldsFilled;
            if (!string.IsNullOrEmpty(result.Reason))
            {
                reasons.Add(result.Reason);
            }
        }

        return Apply(new EnrichmentResult(filled, string.Join("; ", reasons)));
    }

    private static StageResult Apply(EnrichmentResult result) =>
        StageResult.MoveTo(LeadStatus.Enriched, string.IsNullOrEmpty(result.Reason) ? "enriched" : result.Reason);
}

internal sealed class ScoreStage(ILeadScorer scorer) : ILeadStage
{
    public string Name => StageNames.Score;

    public ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        var pending = scorer.ScoreAsync(lead, context, cancellationToken);
        return pending.IsCompletedSuccessfully ? new(Apply(lead, pending.Result)) : Await(lead, pending);

        static async ValueTask<StageResult> Await(Lead l, ValueTask<LeadScore> p) => Apply(l, await p.ConfigureAwait(false));
    }

    private static StageResult Apply(Lead lead, LeadScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        if (double.IsNaN(score.Value) || score.Value is < 0 or > 1)
        {
            throw new InvalidOperationException($"The scorer returned {score.Value}, outside [0, 1].");
        }

        lead.Score = score;
        var value = score.Value;
        var grade = score.Grade;
        Span<char> buffer = stackalloc char[64];
        var reason = buffer.TryWrite(CultureInfo.InvariantCulture, $"score {value:0.000} grade {grade}", out var n)
            ? Reasons.Get(buffer[..n])
            : string.Create(CultureInfo.InvariantCulture, $"score {value:0.000} grade {grade}");
        return StageResult.MoveTo(LeadStatus.Scored, reason);
    }

    // A thousand and one rounded scores times a few grades: each reason is made once, not for every lead.
    private static readonly TextCache Reasons = new(8_192);
}

internal sealed class QualifyStage(ILeadQualifier qualifier) : ILeadStage
{
    public string Name => StageNames.Qualify;

    public ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        var pending = qualifier.QualifyAsync(lead, context, cancellationToken);
        return pending.IsCompletedSuccessfully ? new(Apply(lead, pending.Result)) : Await(lead, pending);

        static async ValueTask<StageResult> Await(Lead l, ValueTask<QualificationDecision> p) => Apply(l, await p.ConfigureAwait(false));
    }

    private static StageResult Apply(Lead lead, QualificationDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        lead.Qualification = decision;
        var status = decision.Verdict switch
        {
            QualificationVerdict.Qualified => LeadStatus.Qualified,
            QualificationVerdict.Disqualified => LeadStatus.Disqualified,
            QualificationVerdict.ManualReview => LeadStatus.ManualReview,
            _ => throw new InvalidOperationException($"Unknown verdict {decision.Verdict}."),
        };
        var reason = decision.Reasons.Count switch
        {
            0 => decision.Verdict.ToString(),
            1 => decision.Reasons[0],
            _ => Join(decision.Reasons),
        };
        return StageResult.MoveTo(status, reason);
    }

    // The same combinations of reasons come up lead after lead: each joined text is made once (see TextCache).
    private static readonly TextCache Reasons = new(4_096);

    private static string Join(IReadOnlyList<string> reasons)
    {
        var length = 2 * (reasons.Count - 1);
        for (var i = 0; i < reasons.Count; i++)
        {
            length += reasons[i]?.Length ?? 0;
        }

        if (length > 512)
        {
            return string.Join("; ", reasons);
        }

        Span<char> buffer = stackalloc char[length];
        var at = 0;
        for (var i = 0; i < reasons.Count; i++)
        {
            if (i > 0)
            {
                buffer[at++] = ';';
                buffer[at++] = ' ';
            }

            reasons[i]?.CopyTo(buffer[at..]);
            at += reasons[i]?.Length ?? 0;
        }

        return Reasons.Get(buffer);
    }
}

internal sealed class RouteStage(ILeadRouter router) : ILeadStage
{
    public string Name => StageNames.Route;

    public ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        var pending = router.RouteAsync(lead, context, cancellationToken);
        return pending.IsCompletedSuccessfully ? new(Apply(lead, pending.Result)) : Await(lead, pending);

        static async ValueTask<StageResult> Await(Lead l, ValueTask<RoutingDecision> p) => Apply(l, await p.ConfigureAwait(false));
    }

    private static StageResult Apply(Lead lead, RoutingDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        lead.Routing = decision;
        return decision.IsAssigned
            ? StageResult.MoveTo(LeadStatus.Routed, decision.Reason)
            : StageResult.MoveTo(LeadStatus.ManualReview, decision.Reason);
    }
}

internal sealed class NurtureStage(ILeadNurturer nurturer) : ILeadStage
{
    public string Name => StageNames.Nurture;

    public ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        var pending = nurturer.NurtureAsync(lead, context, cancellationToken);
        return pending.IsCompletedSuccessfully ? new(Apply(lead, pending.Result)) : Await(lead, pending);

        static async ValueTask<StageResult> Await(Lead l, ValueTask<NurtureState> p) => Apply(l, await p.ConfigureAwait(false));
    }

    private static StageResult Apply(Lead lead, NurtureState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lead.Nurture = state;
        switch (state.Outcome)
        {
            case NurtureOutcome.Sent:
            case NurtureOutcome.AlreadySent:
                return StageResult.MoveTo(LeadStatus.Contacted, state.Reason);
            case NurtureOutcome.DryRun:
            case NurtureOutcome.Scheduled:
                // Not contacted yet: the lead ends the run routed, with the next step's due time on its nurture state.
                return StageResult.Continue(state.Reason);
            case NurtureOutcome.Stopped:
                return lead.Status == LeadStatus.Routed
                    ? StageResult.MoveTo(LeadStatus.ManualReview, state.Reason)
                    : StageResult.Continue(state.Reason);
            case NurtureOutcome.Suppressed:
                lead.Consent = ConsentState.Suppressed;
                return StageResult.MoveTo(LeadStatus.Unsubscribed, state.Reason);
            case NurtureOutcome.Rejected:
                return StageResult.MoveTo(LeadStatus.ManualReview, state.Reason);
            case NurtureOutcome.Failed:
                // The step stays due (NextStepDueAt); the nurture service quarantines a lead whose step keeps failing.
                return StageResult.Continue(state.Reason);
            case NurtureOutcome.Bounced:
                return StageResult.MoveTo(LeadStatus.Bounced, state.Reason);
            default:
                throw new InvalidOperationException($"Unknown nurture outcome {state.Outcome}.");
        }
    }

}
