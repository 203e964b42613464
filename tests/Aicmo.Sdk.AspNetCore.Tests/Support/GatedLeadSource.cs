using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.AspNetCore.Tests.Support;

/// <summary>A source that yields one candidate, then waits for a gate before yielding the rest: a run that stays running until told.</summary>
internal sealed class GatedLeadSource(Task gate, int count) : ILeadSource
{
    public string Name => "gated";

    public async IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var candidates = SyntheticLeadSource.Generate(count, seed: 7);
        yield return candidates[0];
        await gate.WaitAsync(cancellationToken);
        foreach (var c in candidates.Skip(1))
        {
            yield return c;
        }
    }
}
