using System.Globalization;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

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
        return StageResult.MoveTo(LeadStatus.Scored, string.Create(CultureInfo.InvariantCulture, $"score {value:0.000} grade {grade}"));
    }
}
