using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

/// <summary>Decides whether a scored lead is qualified.</summary>
public interface ILeadQualifier
{
    /// <summary>Decides, with every reason that fired.</summary>
    /// <param name="lead">The lead, already scored.</param>
    /// <param name="context">The run.</param>
    /// <param name="cancellationToken">Signals a timeout or the end of the run.</param>
    /// <returns>The decision.</returns>
    ValueTask<QualificationDecision> QualifyAsync(Lead lead, StageContext context, CancellationToken cancellationToken);
}
