using System.Globalization;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

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
