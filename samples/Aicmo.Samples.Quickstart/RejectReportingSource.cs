using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;
using Spectre.Console;

namespace Aicmo.Samples.Quickstart;

/// <summary>
/// Passes a source's accepted candidates on and keeps the ones it refused (with their position and reason) to print at the
/// end, so every row of an imported file is accounted for.
/// </summary>
internal sealed class RejectReportingSource(ILeadSource inner) : ILeadSource
{
    private readonly List<(string? Position, string Reason)> _rejects = [];
    private long _accepted;

    public string Name => inner.Name;

    public async IAsyncEnumerable<LeadCandidate> ReadAsync(LeadSourceContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var candidate in inner.ReadAsync(context, cancellationToken).ConfigureAwait(false))
        {
            if (candidate.RejectionReason is { } reason)
            {
                lock (_rejects)
                {
                    _rejects.Add((candidate.SourcePosition, reason));
                }

                continue;
            }

            Interlocked.Increment(ref _accepted);
            yield return candidate;
        }
    }

    public void PrintRejects()
    {
        AnsiConsole.MarkupLineInterpolated($"{Name}: {_accepted + _rejects.Count:N0} rows read, {_accepted:N0} taken into the pipeline (see the outcome table), {_rejects.Count:N0} refused at intake:");
        foreach (var (_, reason) in _rejects.Take(50))
        {
            AnsiConsole.MarkupLineInterpolated($"  [red]refused[/] {reason}");
        }

        if (_rejects.Count > 50)
        {
            AnsiConsole.MarkupLineInterpolated($"  … and {_rejects.Count - 50:N0} more");
        }
    }
}
