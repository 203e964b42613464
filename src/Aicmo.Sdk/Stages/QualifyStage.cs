using System.Globalization;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

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
            _ => string.Join("; ", decision.Reasons),
        };
        return StageResult.MoveTo(status, reason);
    }
}
