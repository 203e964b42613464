using Aicmo.Sdk.Pipeline.Transport;
using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// This process's part in a run another process started (see <see cref="ILeadBatchRunCoordinator"/>): the run's stage loops, with
/// the same executors, engines, stores and <see cref="LeadWriter"/> as in the run's own process, fed from the transport's queues
/// of the stages this process consumes. It neither harvests nor dedups, and builds no result: each batch it works on is reported
/// to the run's origin when it is acknowledged. It stops when <c>ended</c> is cancelled (the origin announced the run's end or
/// cancellation, the run went idle here, the transport stops) or a stage fails here; the batches it holds then go back to the
/// broker, and the leads it was working on are stored as far as they got.
/// </summary>
internal sealed class RunParticipant
{
    private readonly PipelineRuntime _rt;
    private readonly PipelineRunRequest _request;
    private readonly IReadOnlyDictionary<string, string> _parameters;
    private readonly StoredLeadTransport _transport;
    private readonly RunReport _report;
    private readonly LeadWriter _writer;
    private readonly CancellationTokenSource _stop;
    private Exception? _fatal;

    private RunParticipant(PipelineRuntime runtime, PipelineRunRequest request, Guid runId, ILeadBatchTransport remote, CancellationToken ended)
    {
        _rt = runtime;
        _request = request;
        RunId = runId;
        _parameters = RunRequestValidation.Freeze(request.Parameters);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ended);
        _report = new RunReport(runId, request, _parameters, backlog: false, runtime.Registry.Names, static _ => 0, runtime.Time);
        _transport = StoredLeadTransport.ForParticipant(runtime, remote, runId, request.CampaignId, (stage, count) => _report.CountPending(_report.Stages[stage], count));
        _writer = new LeadWriter(runtime.Leads, runtime.Audit, _report, runtime.Time, runtime.Logger, runId, () => _fatal is not null);
    }

    public Guid RunId { get; }

    /// <summary>Gets whether the participant is stopping (or has stopped).</summary>
    public bool IsEnding => _stop.IsCancellationRequested;

    /// <summary>Completes once the participant has stopped and let go of every batch it held.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Opens the run's stage queues in this process and starts working on the batches delivered to them.</summary>
    public static async Task<RunParticipant> OpenAsync(
        PipelineRuntime runtime, PipelineRunRequest request, Guid runId, ILeadBatchTransport remote, CancellationToken ended, CancellationToken cancellationToken)
    {
        var participant = new RunParticipant(runtime, request, runId, remote, ended);
        try
        {
            await participant._transport.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await participant._transport.DisposeAsync().ConfigureAwait(false);
            participant._stop.Dispose();
            throw;
        }

        TransportLog.Joined(runtime.Logger, runId, request.CampaignId, string.Join(" > ", runtime.Registry.Names));
        participant.Completion = Task.Run(participant.RunAsync);
        return participant;
    }

    private async Task RunAsync()
    {
        var groups = new Task[_rt.Registry.Count];
        for (var i = 0; i < groups.Length; i++)
        {
            groups[i] = StageGroupAsync(i);
        }

        await Task.WhenAll(groups).ConfigureAwait(false);
        try
        {
            // Deliveries not acknowledged go back to the broker, which delivers them again (here, or to another process).
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Fatal(ex, "transport");
        }

        _stop.Dispose();
        TransportLog.Left(_rt.Logger, RunId);
    }

    private async Task StageGroupAsync(int index)
    {
        var name = _rt.Registry.Names[index];
        var context = new StageContext(RunId, _request.CampaignId, name, _rt.Time, _rt.Options.DryRun) { Parameters = _parameters };
        var state = new StageRunState(context, _report.Stages[index], static (_, _) => { }, _rt.Options.ParallelismFor(name));
        var loop = new StageLoop(
            _rt.Registry.Executors[index],
            state,
            _transport.Stage(index),
            index + 1 < _rt.Registry.Count ? _transport.Stage(index + 1) : null,
            _writer,
            _report,
            Math.Min(_rt.Options.BatchSize, _rt.Options.ChannelCapacity),
            Fatal,
            _rt.EndsEarly);
        var workers = new Task[_rt.Options.ParallelismFor(name)];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = loop.WorkerAsync(_stop.Token);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        state.DisposeSpares();
    }

    private void Fatal(Exception ex, string stage)
    {
        if (Interlocked.CompareExchange(ref _fatal, ex, null) is null)
        {
            TransportLog.ParticipantFailed(_rt.Logger, RunId, stage, ex);
        }

        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
