using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline.Transport;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// The origin's side of a run other processes work on (see <see cref="ILeadBatchRunCoordinator"/>): receives the reports of the
/// batches they worked on (the transport awaits the batches they handed on, and their counts join the run's progress), and
/// announces the run's cancellation and end to every process. The leads a report names as quarantined are raised as
/// <see cref="LeadQuarantined"/> events, once per batch (the first report of it).
/// </summary>
internal sealed class OriginCoordination(
    StoredLeadTransport transport,
    ILeadBatchRunCoordinator coordinator,
    RunReport report,
    Action<Guid, LeadFault> onQuarantined,
    ILogger logger,
    Guid runId)
{
    // One counter block per stage for every other process, written by the report handler alone (reports arrive one at a time).
    private readonly WorkerCounters?[] _blocks = new WorkerCounters?[report.Stages.Length];
    private IAsyncDisposable? _reports;

    /// <summary>Starts receiving the run's reports; before the run publishes its first batch.</summary>
    public async Task StartAsync(CancellationToken cancellationToken) =>
        _reports = await coordinator.ReceiveReportsAsync(runId, OnReportAsync, cancellationToken).ConfigureAwait(false);

    /// <summary>Tells every process the run was cancelled or has ended; a failure is logged (they leave after their idle timeout).</summary>
    public async Task AnnounceAsync(bool cancelled)
    {
        try
        {
            await coordinator.AnnounceAsync(runId, report.StartedAt, cancelled, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            TransportLog.AnnounceFailed(logger, runId, cancelled, ex);
        }
    }

    /// <summary>Stops receiving reports.</summary>
    public ValueTask StopAsync() => _reports?.DisposeAsync() ?? default;

    private ValueTask OnReportAsync(LeadBatchReport batch)
    {
        var index = transport.Apply(batch);
        if (index < 0)
        {
            return default;
        }

        var block = _blocks[index] ??= report.Stages[index].AddWorker();
        var c = batch.Counts;
        Volatile.Write(ref block.In, block.In + c.In);
        Volatile.Write(ref block.Out, block.Out + c.Out);
        Volatile.Write(ref block.Disqualified, block.Disqualified + c.Disqualified);
        Volatile.Write(ref block.ManualReview, block.ManualReview + c.ManualReview);
        Volatile.Write(ref block.Routed, block.Routed + c.Routed);
        Volatile.Write(ref block.Contacted, block.Contacted + c.Contacted);
        Volatile.Write(ref block.Suppressed, block.Suppressed + c.Suppressed);
        Volatile.Write(ref block.Quarantined, block.Quarantined + c.Quarantined);
        Volatile.Write(ref block.Stored, block.Stored + c.Stored);
        report.CountPending(report.Stages[index], c.Pending);
        if (batch.Quarantined is { } quarantined)
        {
            foreach (var q in quarantined)
            {
                onQuarantined(q.LeadId, q.Fault);
            }
        }

        return default;
    }
}
