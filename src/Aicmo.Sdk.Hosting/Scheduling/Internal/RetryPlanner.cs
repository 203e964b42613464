using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>
/// The retries the scheduler planned after failed attempts, kept in the job store (<see cref="IJobStore.AddRetryAsync"/>) so a
/// restart, or another host on a shared store, still fires them; a due retry is taken with one atomic delete, so exactly one host
/// fires it. A store that cannot keep retries (a third party's that does not implement them) gets them kept in this process.
/// </summary>
internal sealed class RetryPlanner(IJobStore store, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly List<PlannedRetry> _local = [];
    private volatile bool _inProcess;

    public async Task PlanAsync(PlannedRetry retry)
    {
        if (!_inProcess)
        {
            try
            {
                await store.AddRetryAsync(retry, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (NotSupportedException ex)
            {
                _inProcess = true;
                SchedulerLog.RetriesKeptInProcess(logger, store.GetType().Name, ex);
            }
        }

        lock (_gate)
        {
            _local.Add(retry);
        }
    }

    /// <summary>Takes the retries due at <paramref name="now"/>, and returns them with the time the next one falls due.</summary>
    public async Task<(List<PlannedRetry> Due, DateTimeOffset? Next)> TakeDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = new List<PlannedRetry>();
        DateTimeOffset? next = null;
        if (!_inProcess)
        {
            foreach (var retry in await store.ListRetriesAsync(null, cancellationToken).ConfigureAwait(false))
            {
                if (retry.DueAt > now)
                {
                    next = next is { } n && n < retry.DueAt ? n : retry.DueAt;
                }
                else if (await store.TryTakeRetryAsync(retry.Id, cancellationToken).ConfigureAwait(false))
                {
                    due.Add(retry);
                }
            }
        }

        lock (_gate)
        {
            for (var i = 0; i < _local.Count; i++)
            {
                var retry = _local[i];
                if (retry.DueAt <= now)
                {
                    due.Add(retry);
                    _local.RemoveAt(i--);
                }
                else
                {
                    next = next is { } n && n < retry.DueAt ? n : retry.DueAt;
                }
            }
        }

        due.Sort(static (a, b) => a.DueAt.CompareTo(b.DueAt));
        return (due, next);
    }

    /// <summary>Counts the retries waiting to fire.</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        var stored = _inProcess ? 0 : (await store.ListRetriesAsync(null, cancellationToken).ConfigureAwait(false)).Count;
        lock (_gate)
        {
            return stored + _local.Count;
        }
    }
}
