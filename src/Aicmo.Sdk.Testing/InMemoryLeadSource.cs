using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Testing;

/// <summary>A source that yields a fixed list of candidates, optionally failing after some of them.</summary>
/// <param name="name">The source name.</param>
/// <param name="candidates">The candidates.</param>
public sealed class InMemoryLeadSource(string name, IEnumerable<LeadCandidate> candidates) : ILeadSource
{
    /// <inheritdoc />
    public string Name { get; } = name;

    /// <summary>Gets or sets after how many candidates the source throws, or <see langword="null"/> to never throw.</summary>
    public int? FailAfter { get; set; }

    /// <summary>Gets or sets the exception thrown at <see cref="FailAfter"/>.</summary>
    public Func<Exception> Failure { get; set; } = static () => new InvalidOperationException("The source connection was lost.");

    /// <summary>Gets or sets a delay before each candidate, to simulate a slow source.</summary>
    public TimeSpan DelayPerCandidate { get; set; }

    /// <summary>Gets how many candidates have been yielded so far (over all reads).</summary>
    public int Yielded => Volatile.Read(ref _yielded);

    private int _yielded;

    /// <inheritdoc />
    public async IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var i = 0;
        foreach (var candidate in candidates)
        {
            if (FailAfter is { } limit && i >= limit)
            {
                throw Failure();
            }

            if (DelayPerCandidate > TimeSpan.Zero)
            {
                await Task.Delay(DelayPerCandidate, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            i++;
            Interlocked.Increment(ref _yielded);
            yield return candidate;
        }

        if (FailAfter is { } end && i >= end)
        {
            throw Failure();
        }
    }
}
