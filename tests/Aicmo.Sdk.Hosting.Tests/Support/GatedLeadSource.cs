using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Hosting.Tests.Support;

/// <summary>A source that yields its candidates only once <see cref="Open"/> is called: a run that stays live as long as a test needs.</summary>
public sealed class GatedLeadSource(int count) : ILeadSource
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SyntheticLeadSource _inner = new(count, seed: 11);

    public string Name => "gated";

    public void Open() => _gate.TrySetResult();

    public async IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _gate.Task.WaitAsync(cancellationToken);
        await foreach (var candidate in _inner.ReadAsync(context, cancellationToken))
        {
            yield return candidate;
        }
    }
}
