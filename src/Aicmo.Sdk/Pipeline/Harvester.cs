using System.Diagnostics;
using Aicmo.Sdk.Diagnostics;
using Aicmo.Sdk.Pipeline.Transport;
using Aicmo.Sdk.Stages;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// Reads a run's sources concurrently and publishes their candidates in batches to the dedup stage's queue. A candidate counts
/// as harvested once the queue has taken it. A failing source ends itself only; the candidates it yielded before failing go on.
/// </summary>
internal sealed class Harvester
{
    private readonly IReadOnlyList<ILeadSource> _sources;
    private readonly IBatchQueue<SourcedCandidate> _queue;
    private readonly RunReport _report;
    private readonly ILogger _logger;
    private readonly Guid _runId;
    private readonly string _campaignId;
    private readonly long? _maxLeads;
    private readonly int _batchSize;
    private readonly IReadOnlyDictionary<string, string> _parameters;
    private long _taken;

    /// <param name="sources">The sources.</param>
    /// <param name="queue">The dedup stage's queue.</param>
    /// <param name="report">The run's report: harvest counts, failed sources, a harvest cut short.</param>
    /// <param name="logger">The pipeline's logger.</param>
    /// <param name="runId">The run.</param>
    /// <param name="campaignId">The run's campaign.</param>
    /// <param name="maxLeads">The most candidates to take over all sources, or <see langword="null"/> for all.</param>
    /// <param name="batchSize">The run's batch size.</param>
    /// <param name="parameters">The run's parameters, handed to each source.</param>
    public Harvester(
        IReadOnlyList<ILeadSource> sources, IBatchQueue<SourcedCandidate> queue, RunReport report, ILogger logger, Guid runId, string campaignId, long? maxLeads, int batchSize,
        IReadOnlyDictionary<string, string> parameters)
    {
        _parameters = parameters;
        _sources = sources;
        _queue = queue;
        _report = report;
        _logger = logger;
        _runId = runId;
        _campaignId = campaignId;
        _maxLeads = maxLeads;
        _batchSize = batchSize;
    }

    /// <summary>Reads every source to its end, then completes the queue.</summary>
    /// <param name="stop">Stops taking candidates (the run is cancelled).</param>
    /// <param name="processing">Stops the run's processing (the drain timeout passed, or the run failed): candidates a source
    /// has yielded are still handed on when <paramref name="stop"/> fires, until this does.</param>
    /// <param name="onCompleted">Called once every source is done, before the queue completes.</param>
    public async Task RunAsync(CancellationToken stop, CancellationToken processing, Action onCompleted)
    {
        var tasks = new Task[_sources.Count];
        for (var i = 0; i < _sources.Count; i++)
        {
            tasks[i] = ReadSourceAsync(_sources[i], stop, processing);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        Volatile.Write(ref _report.Harvest.CompletedAt, Stopwatch.GetTimestamp());
        onCompleted();
        _queue.Complete();
    }

    private async Task ReadSourceAsync(ILeadSource source, CancellationToken token, CancellationToken processing)
    {
        await Task.Yield();
        var sourceTag = new KeyValuePair<string, object?>("source", source.Name);
        var counters = _report.Harvest.AddWorker();
        var batch = new Batch<SourcedCandidate>(_batchSize);
        try
        {
            var context = new LeadSourceContext(_runId, _campaignId, _maxLeads) { Parameters = _parameters };
            var items = source.ReadAsync(context, token).GetAsyncEnumerator(token);
            await using (items.ConfigureAwait(false))
            {
                while (true)
                {
                    var next = items.MoveNextAsync();
                    if (!next.IsCompleted && batch.Count > 0)
                    {
                        // The source is about to wait: what it has yielded so far goes on now instead of waiting with it.
                        try
                        {
                            batch = await HandOnAsync(batch, counters, sourceTag, token).ConfigureAwait(false);
                        }
                        catch
                        {
                            // The source must not be disposed while it is still producing the next candidate.
                            await IgnoreFaultAsync(next).ConfigureAwait(false);
                            throw;
                        }
                    }

                    if (!await next.ConfigureAwait(false))
                    {
                        break;
                    }

                    var candidate = items.Current
                        ?? throw new InvalidOperationException($"Lead source '{source.Name}' yielded a null candidate.");
                    if (_maxLeads is { } limit && Interlocked.Increment(ref _taken) > limit)
                    {
                        break;
                    }

                    batch.Add(new SourcedCandidate(candidate, source.Name));
                    if (batch.Count == _batchSize)
                    {
                        batch = await HandOnAsync(batch, counters, sourceTag, token).ConfigureAwait(false);
                    }
                }
            }

            if (batch.Count > 0)
            {
                await HandOnAsync(batch, counters, sourceTag, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _report.HarvestCutShort();

            // What the source yielded before it saw the cancellation may not be readable again (a queue, a webhook buffer): it
            // goes on like every other harvested candidate, while the run still drains.
            await HandOnHeldAsync(batch, counters, sourceTag, processing).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A failing source ends itself only; the others and the leads already harvested go on, those it yielded before
            // failing included.
            _report.Harvest.Failed = true;
            Log.SourceFailed(_logger, source.Name, _runId, ex);
            _report.AddError(new PipelineError(StageNames.Harvest, source.Name, ex.GetType().FullName ?? ex.GetType().Name, ex.Message));
            if (token.IsCancellationRequested)
            {
                _report.HarvestCutShort();
            }

            await HandOnHeldAsync(batch, counters, sourceTag, processing).ConfigureAwait(false);
        }
    }

    private async ValueTask HandOnHeldAsync(Batch<SourcedCandidate> batch, WorkerCounters counters, KeyValuePair<string, object?> sourceTag, CancellationToken processing)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await HandOnAsync(batch, counters, sourceTag, processing).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (processing.IsCancellationRequested)
        {
            // The run stopped processing before the dedup stage could take them: they were never stored, so they are lost to a
            // source that cannot be read again. Logged with their number, so it is never silent.
            Log.HeldCandidatesDropped(_logger, batch.Count, _runId);
        }
    }

    private static async ValueTask IgnoreFaultAsync(ValueTask<bool> pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch
        {
            // Already failing for another reason; this one is not the error to report.
        }
    }

    // Candidates count as harvested once the dedup stage's queue has taken them.
    private async ValueTask<Batch<SourcedCandidate>> HandOnAsync(
        Batch<SourcedCandidate> batch, WorkerCounters counters, KeyValuePair<string, object?> sourceTag, CancellationToken token)
    {
        var count = batch.Count;
        await _queue.PublishAsync(batch, token).ConfigureAwait(false);
        Volatile.Write(ref counters.In, counters.In + count);
        Volatile.Write(ref counters.Out, counters.Out + count);
        if (AicmoDiagnostics.Harvested.Enabled)
        {
            AicmoDiagnostics.Harvested.Add(count, sourceTag);
        }

        return new Batch<SourcedCandidate>(_batchSize);
    }
}
