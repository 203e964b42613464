using System.Text.Json;

namespace Aicmo.Sdk.Http.Enrichment.Internal;

/// <summary>
/// Gathers the lookups the waterfall makes for many leads at once (the enrich stage runs a batch's leads concurrently) into
/// batch requests: a batch goes when it holds <c>MaxBatchSize</c> distinct keys, or <c>BatchWindow</c> after its first lookup.
/// Each caller gets its own key's answer, or its own key's failure.
/// </summary>
internal sealed class LookupBatcher
{
    private readonly int _maxBatchSize;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly Func<IReadOnlyList<string>, Task<IReadOnlyDictionary<string, BatchAnswer>>> _send;
    private readonly Lock _gate = new();
    private Dictionary<string, TaskCompletionSource<BatchAnswer>> _open = new(StringComparer.Ordinal);

    /// <summary>Creates the batcher.</summary>
    /// <param name="maxBatchSize">The most distinct keys in one request.</param>
    /// <param name="window">How long the first lookup of a batch waits for others.</param>
    /// <param name="time">The clock.</param>
    /// <param name="send">Sends one batch; answers by key (a key left out is not found); throws when the whole request failed.</param>
    public LookupBatcher(int maxBatchSize, TimeSpan window, TimeProvider time, Func<IReadOnlyList<string>, Task<IReadOnlyDictionary<string, BatchAnswer>>> send)
    {
        _maxBatchSize = maxBatchSize;
        _window = window;
        _time = time;
        _send = send;
    }

    /// <summary>Looks a key up in the next batch.</summary>
    /// <param name="key">The normalized key (email or domain); lookups of one key in one batch share its answer.</param>
    /// <param name="cancellationToken">Stops waiting; the batch still goes for the others.</param>
    /// <returns>The answer for this key.</returns>
    public Task<BatchAnswer> LookupAsync(string key, CancellationToken cancellationToken)
    {
        Dictionary<string, TaskCompletionSource<BatchAnswer>>? full = null;
        Dictionary<string, TaskCompletionSource<BatchAnswer>>? started = null;
        TaskCompletionSource<BatchAnswer>? pending;
        lock (_gate)
        {
            if (!_open.TryGetValue(key, out pending))
            {
                pending = new TaskCompletionSource<BatchAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
                _open.Add(key, pending);
                if (_open.Count == 1)
                {
                    started = _open;
                }

                if (_open.Count >= _maxBatchSize)
                {
                    full = _open;
                    _open = new Dictionary<string, TaskCompletionSource<BatchAnswer>>(StringComparer.Ordinal);
                }
            }
        }

        if (full is not null)
        {
            _ = SendAsync(full);
        }
        else if (started is not null)
        {
            _ = SendAfterWindowAsync(started);
        }

        return pending.Task.WaitAsync(cancellationToken);
    }

    private async Task SendAfterWindowAsync(Dictionary<string, TaskCompletionSource<BatchAnswer>> batch)
    {
        await Task.Delay(_window, _time).ConfigureAwait(false);
        lock (_gate)
        {
            if (!ReferenceEquals(_open, batch))
            {
                // It filled up and went already.
                return;
            }

            _open = new Dictionary<string, TaskCompletionSource<BatchAnswer>>(StringComparer.Ordinal);
        }

        await SendAsync(batch).ConfigureAwait(false);
    }

    private async Task SendAsync(Dictionary<string, TaskCompletionSource<BatchAnswer>> batch)
    {
        try
        {
            var answers = await _send([.. batch.Keys]).ConfigureAwait(false);
            foreach (var (key, pending) in batch)
            {
                pending.TrySetResult(answers.TryGetValue(key, out var answer) ? answer : BatchAnswer.NotFound);
            }
        }
        catch (Exception ex)
        {
            // The whole request failed: every lookup in it fails with that error, and the waterfall asks the next provider.
            foreach (var pending in batch.Values)
            {
                pending.TrySetException(ex);
            }
        }
    }
}
