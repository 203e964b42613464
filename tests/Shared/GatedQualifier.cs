using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Storage.Tests;

/// <summary>A host's qualifier: every lead qualifies while the gate is open, none while it is shut.</summary>
public sealed class GatedQualifier(RunKindsGate gate) : ILeadQualifier
{
    public ValueTask<QualificationDecision> QualifyAsync(Lead lead, StageContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(gate.Open
            ? new QualificationDecision(QualificationVerdict.Qualified, ["the bar is low"])
            : new QualificationDecision(QualificationVerdict.Disqualified, ["the bar is high"]));
}
