using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

/// <summary>Scores a lead.</summary>
public interface ILeadScorer
{
    /// <summary>Computes the lead's score with its components.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="context">The run.</param>
    /// <param name="cancellationToken">Signals a timeout or the end of the run.</param>
    /// <returns>The score.</returns>
    ValueTask<LeadScore> ScoreAsync(Lead lead, StageContext context, CancellationToken cancellationToken);
}
