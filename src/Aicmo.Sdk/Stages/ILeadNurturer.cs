using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

/// <summary>Moves a routed lead through its nurture sequence (sends the next due email).</summary>
public interface ILeadNurturer
{
    /// <summary>Nurtures one lead.</summary>
    /// <param name="lead">The lead, already routed.</param>
    /// <param name="context">The run.</param>
    /// <param name="cancellationToken">Signals a timeout or the end of the run.</param>
    /// <returns>The new nurture state.</returns>
    ValueTask<NurtureState> NurtureAsync(Lead lead, StageContext context, CancellationToken cancellationToken);
}
