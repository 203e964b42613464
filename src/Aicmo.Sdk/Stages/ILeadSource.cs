using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Stages;

/// <summary>Yields raw lead candidates, for example from a CSV file, a web form backlog or a vendor API.</summary>
/// <remarks>Several sources may be registered; they are read concurrently. An exception ends this source only.</remarks>
public interface ILeadSource
{
    /// <summary>Gets the source's name, recorded on every lead it yields.</summary>
    string Name { get; }

    /// <summary>Streams candidates.</summary>
    /// <param name="context">The run being harvested for.</param>
    /// <param name="cancellationToken">Signals that no more candidates are wanted.</param>
    /// <returns>The candidates.</returns>
    IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, CancellationToken cancellationToken);
}
