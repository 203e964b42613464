using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline.Transport;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// The pipeline's <see cref="ILeadBatchRunJoiner"/>: joins the runs other processes started when their batches reach this
/// process, one <see cref="RunParticipant"/> per run at a time. A run is joined only while its record in the shared store says
/// it is running, and never when it is this process's own run.
/// </summary>
internal sealed class RunParticipants(
    PipelineRuntime runtime,
    ILeadBatchTransport remote,
    ILeadBatchRunCoordinator coordinator,
    Func<PipelineRunRequest, (PipelineRuntime Runtime, BacklogPlan? Backlog)> runtimeFor) : ILeadBatchRunJoiner
{
    private readonly ConcurrentDictionary<Guid, Task<RunJoinOutcome>> _joining = new();
    private readonly ConcurrentDictionary<Guid, RunParticipant> _joined = new();

    public IReadOnlyList<string> StageNames => runtime.Registry.Names;

    public async ValueTask<RunJoinOutcome> JoinAsync(Guid runId, CancellationToken cancellationToken)
    {
        if (_joined.TryGetValue(runId, out var open))
        {
            if (!open.IsEnding)
            {
                return RunJoinOutcome.Joined;
            }

            // Leaving (idle, say) while another batch of the run arrived: join again once it has let go of its queues.
            await open.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (runtime.Live.IsLive(runId))
        {
            return RunJoinOutcome.Started;
        }

        var joining = _joining.GetOrAdd(runId, id => OpenAsync(id));
        try
        {
            return await joining.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (joining.IsCompleted)
            {
                _joining.TryRemove(KeyValuePair.Create(runId, joining));
            }
        }
    }

    private async Task<RunJoinOutcome> OpenAsync(Guid runId)
    {
        await Task.Yield();
        var record = await runtime.Runs.GetAsync(runId, CancellationToken.None).ConfigureAwait(false);
        if (record is null)
        {
            return RunJoinOutcome.Unknown;
        }

        var ended = coordinator.ParticipationEnded(runId, record.StartedAt);
        if (record.Status != PipelineRunStatus.Running || record.TakenOverBy is not null || ended.IsCancellationRequested)
        {
            return RunJoinOutcome.NotRunning;
        }

        if (record.DryRun)
        {
            return RunJoinOutcome.NotJoinable;
        }

        var request = PipelineRunRequest.For(record);
        PipelineRuntime joined;
        try
        {
            request.Validate();
            joined = runtimeFor(request).Runtime;
        }
        catch (ArgumentException)
        {
            return RunJoinOutcome.NotJoinable;
        }

        if (joined.Registry.Count == 0)
        {
            return RunJoinOutcome.NotJoinable;
        }

        var participant = await RunParticipant.OpenAsync(joined, request, runId, remote, ended, CancellationToken.None).ConfigureAwait(false);
        _joined[runId] = participant;
        _ = participant.Completion.ContinueWith(
            (_, state) => ((ConcurrentDictionary<Guid, RunParticipant>)state!).TryRemove(KeyValuePair.Create(participant.RunId, participant)),
            _joined, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return RunJoinOutcome.Joined;
    }
}
