using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.AspNetCore.Browser.Tests;

/// <summary>
/// Synthetic candidates, new people on every run (a new seed each time), yielded ten at a time with a pause between: a run of a few
/// hundred leads lasts long enough for the page to show it live.
/// </summary>
public sealed class PacedLeadSource(int count, TimeSpan pausePerTen) : ILeadSource
{
    private int _seed = 100;

    public string Name => "paced";

    public async IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var candidates = SyntheticLeadSource.Generate(count, seed: Interlocked.Increment(ref _seed));
        for (var i = 0; i < candidates.Length; i++)
        {
            if (i % 10 == 0 && i > 0)
            {
                await Task.Delay(pausePerTen, cancellationToken);
            }

            yield return candidates[i];
        }
    }
}
