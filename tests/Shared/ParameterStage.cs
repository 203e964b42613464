using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Storage.Tests;

/// <summary>A host's own stage that reads the run's parameters: it writes the <c>tier</c> parameter into the lead's attributes.</summary>
public sealed class ParameterStage : ILeadStage
{
    public string Name => "tag";

    public ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        if (context.Parameters.TryGetValue("tier", out var tier))
        {
            lead.Attributes["tier"] = tier;
        }

        return ValueTask.FromResult(StageResult.Continue("tagged"));
    }
}
