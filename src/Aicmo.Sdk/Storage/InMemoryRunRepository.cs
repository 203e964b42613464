using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;

namespace Aicmo.Sdk.Storage;

/// <summary>A thread-safe in-memory <see cref="IRunRepository"/>.</summary>
public sealed class InMemoryRunRepository : IRunRepository
{
    private readonly ConcurrentDictionary<Guid, RunRecord> _runs = new();

    /// <inheritdoc />
    public ValueTask<bool> SaveAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        while (true)
        {
            if (!_runs.TryGetValue(run.RunId, out var stored))
            {
                if (_runs.TryAdd(run.RunId, run))
                {
                    return new(true);
                }

                continue;
            }

            // A takeover is never undone by a later save: the record keeps the run that took it over.
            var kept = stored.TakenOverBy is { } by && by != run.TakenOverBy ? run with { TakenOverBy = by } : run;
            if (_runs.TryUpdate(run.RunId, kept, stored))
            {
                return new(ReferenceEquals(kept, run));
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryTakeOverAsync(Guid runId, Guid takerRunId, DateTimeOffset staleBefore, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        while (_runs.TryGetValue(runId, out var stored))
        {
            if (runId == takerRunId || !stored.IsInterrupted(staleBefore))
            {
                return new(false);
            }

            // Reference comparison on the stored record makes this a true compare-and-set.
            if (_runs.TryUpdate(runId, stored with { TakenOverBy = takerRunId, UpdatedAt = now }, stored))
            {
                return new(true);
            }
        }

        return new(false);
    }

    /// <inheritdoc />
    public ValueTask<RunRecord?> GetAsync(Guid runId, CancellationToken cancellationToken = default) =>
        new(_runs.TryGetValue(runId, out var r) ? r : null);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunRecord>> ListAsync(string campaignId, CancellationToken cancellationToken = default) =>
        new(_runs.Values.Where(r => r.CampaignId == campaignId).OrderByDescending(r => r.StartedAt).ToList());
}
