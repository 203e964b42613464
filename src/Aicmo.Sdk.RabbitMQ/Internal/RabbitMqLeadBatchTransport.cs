using System.Collections.Concurrent;
using Aicmo.Sdk.Pipeline.Transport;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.RabbitMQ.Internal;

/// <summary>
/// The pipeline's transport over RabbitMQ: one quorum queue per stage, shared by every run; in each process one consumer per
/// stage queue it consumes (<see cref="RabbitMqTransportOptions.Stages"/>, with the configured prefetch and concurrency), which
/// hands each batch to the run that opened that stage in this process and acknowledges the broker's delivery only once the run
/// acknowledged the batch. A batch of a run this process has not open makes the pipeline join that run (see
/// <see cref="ILeadBatchRunCoordinator"/>) while the run's record says it is running; a batch of a run that ended is
/// acknowledged and left to the store (its leads stay stored where they were, for a resumed run). With an inbox (the store's
/// <see cref="IMessageInbox"/>), a batch's message id is recorded once its run acknowledged it, and a delivery whose id is
/// recorded already is acknowledged and dropped without reading a lead.
/// </summary>
internal sealed partial class RabbitMqLeadBatchTransport : ILeadBatchTransport, ILeadBatchRunCoordinator, IAsyncDisposable
{
    // A batch that cannot be handed to a run yet waits this long before it is handed back, so it does not spin.
    private static readonly TimeSpan UnknownRunDelay = TimeSpan.FromSeconds(1);
    private readonly RabbitMqConnectionProvider _connections;
    private readonly ILogger _logger;
    private readonly IMessageInbox? _inbox;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _declared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RabbitMqBatchConsumer> _consumers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(Guid RunId, string Stage), RabbitMqRunStageQueue> _open = new();
    private readonly RabbitMqParticipations _participations;
    private RabbitMqBatchPublisher? _publisher;
    private RabbitMqMessageListener<RunControlMessage>? _control;
    private volatile ILeadBatchRunJoiner? _joiner;
    private bool _disposed;

    public RabbitMqLeadBatchTransport(RabbitMqConnectionProvider connections, ILogger logger, IMessageInbox? inbox = null, TimeProvider? timeProvider = null)
    {
        _connections = connections;
        _logger = logger;
        _inbox = inbox;
        _time = timeProvider ?? TimeProvider.System;
        _participations = new RabbitMqParticipations(connections.Options.JoinedRunIdleTimeout, _time);
    }

    public async ValueTask<ILeadBatchQueue> OpenAsync(Guid runId, string campaignId, string stage, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        var publisher = await EnsureStageAsync(stage, cancellationToken).ConfigureAwait(false);
        var queue = new RabbitMqRunStageQueue(this, publisher, runId, stage);
        if (!_open.TryAdd((runId, stage), queue))
        {
            throw new InvalidOperationException($"Run {runId} already has its {stage} queue open in this process.");
        }

        return queue;
    }

    /// <summary>Forgets a run's queue once the run closed it.</summary>
    public void Close(RabbitMqRunStageQueue queue) => _open.TryRemove(KeyValuePair.Create((queue.RunId, queue.Stage), queue));

    public void Attach(ILeadBatchRunJoiner joiner)
    {
        ArgumentNullException.ThrowIfNull(joiner);
        var unknown = _connections.Options.Stages.Where(s => !joiner.StageNames.Contains(s, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"{nameof(RabbitMqTransportOptions)}.{nameof(RabbitMqTransportOptions.Stages)} names stage(s) the pipeline does not have: {string.Join(", ", unknown)}. " +
                $"Its stages after dedup: {string.Join(", ", joiner.StageNames)}.");
        }

        _joiner = joiner;
    }

    public async ValueTask<IAsyncDisposable> ReceiveReportsAsync(Guid runId, Func<LeadBatchReport, ValueTask> onReport, CancellationToken cancellationToken)
    {
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var names = _connections.Names;
        return await RabbitMqMessageListener<LeadBatchReport>.StartAsync(
            _connections, names.RunQueue(runId), names.RunsExchange, RabbitMqNames.RunKey(runId), StageBatchJsonContext.Default.LeadBatchReport,
            report => report.RunId == runId ? onReport(report) : default, _logger, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask AnnounceAsync(Guid runId, DateTimeOffset startedAt, bool cancelled, CancellationToken cancellationToken)
    {
        // This process first: a late copy of one of the run's batches is not joined here either.
        _participations.End(runId, startedAt);
        var publisher = await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        await publisher.PublishControlAsync(new RunControlMessage(runId, startedAt, cancelled), cancellationToken).ConfigureAwait(false);
    }

    public CancellationToken ParticipationEnded(Guid runId, DateTimeOffset startedAt) => _participations.Token(runId, startedAt);

    /// <summary>Sends a report of a batch of a run this process joined to the run's origin.</summary>
    public async Task SendReportAsync(LeadBatchReport report, CancellationToken cancellationToken)
    {
        var publisher = await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        await publisher.PublishReportAsync(report, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts consuming the queues of the configured stages (all of the pipeline's when none is configured).</summary>
    public async Task StartConsumingAsync(CancellationToken cancellationToken)
    {
        var joiner = _joiner ?? throw new InvalidOperationException("The pipeline has not been built: resolve ILeadPipeline before the transport starts consuming.");
        IEnumerable<string> stages = _connections.Options.Stages.Count > 0 ? _connections.Options.Stages : joiner.StageNames;
        foreach (var stage in stages)
        {
            await EnsureStageAsync(stage, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops consuming and leaves every run this process joined: deliveries not acknowledged go back to the broker for another
    /// process. The runs this process started keep their queues open (for publishing).
    /// </summary>
    public async Task StopConsumingAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var consumer in _consumers.Values)
            {
                await consumer.DisposeAsync().ConfigureAwait(false);
            }

            _consumers.Clear();
            _declared.Clear();
        }
        finally
        {
            _gate.Release();
        }

        _participations.LeaveAll();
    }

    public async ValueTask DisposeAsync()
    {
        _participations.Dispose();
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            foreach (var consumer in _consumers.Values)
            {
                await consumer.DisposeAsync().ConfigureAwait(false);
            }

            _consumers.Clear();
            if (_control is not null)
            {
                await _control.DisposeAsync().ConfigureAwait(false);
                _control = null;
            }

            if (_publisher is not null)
            {
                await _publisher.DisposeAsync().ConfigureAwait(false);
                _publisher = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool Consumes(string stage) => _connections.Options.Stages.Count == 0 || _connections.Options.Stages.Contains(stage, StringComparer.Ordinal);

    // The publisher and the control listener, once: every process hears the end and cancellation of runs.
    private async ValueTask<RabbitMqBatchPublisher> EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _control) is not null && _publisher is { } started)
        {
            return started;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await EnsureStartedLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<RabbitMqBatchPublisher> EnsureStartedLockedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _publisher ??= await RabbitMqBatchPublisher.CreateAsync(_connections, cancellationToken).ConfigureAwait(false);
        if (_control is null)
        {
            var control = await RabbitMqMessageListener<RunControlMessage>.StartAsync(
                _connections, string.Empty, _connections.Names.ControlExchange, string.Empty, StageBatchJsonContext.Default.RunControlMessage,
                OnControl, _logger, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _control, control);
        }

        return _publisher;
    }

    private ValueTask OnControl(RunControlMessage message)
    {
        if (_participations.End(message.RunId, message.StartedAt))
        {
            LogRunEnded(_logger, message.RunId, message.Cancelled ? "cancelled" : "ended");
        }

        return default;
    }

    // Declares the stage's queue, and starts this process's consumer of it once when the process consumes the stage.
    private async ValueTask<RabbitMqBatchPublisher> EnsureStageAsync(string stage, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var publisher = await EnsureStartedLockedAsync(cancellationToken).ConfigureAwait(false);
            if (_declared.Add(stage))
            {
                var connection = await _connections.GetAsync(cancellationToken).ConfigureAwait(false);
                var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (channel.ConfigureAwait(false))
                {
                    await RabbitMqTopology.DeclareAsync(channel, _connections.Names, [stage], _connections.Options.DeliveryLimit, cancellationToken).ConfigureAwait(false);
                }
            }

            if (Consumes(stage) && !_consumers.ContainsKey(stage))
            {
                _consumers[stage] = await RabbitMqBatchConsumer.StartAsync(
                    _connections, publisher, stage, (delivery, token) => DispatchAsync(stage, delivery, token), _logger, cancellationToken).ConfigureAwait(false);
            }

            return publisher;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DispatchAsync(string stage, StageBatchDelivery delivery, CancellationToken cancellationToken)
    {
        var runId = delivery.Message.RunId;
        var messageId = delivery.Message.MessageId;
        if (_inbox is not null && await _inbox.ContainsAsync(messageId, cancellationToken).ConfigureAwait(false))
        {
            RabbitMqMetrics.Dropped.Add(1, new KeyValuePair<string, object?>("stage", stage));
            return;
        }

        if (!_open.TryGetValue((runId, stage), out var queue))
        {
            queue = await JoinAsync(runId, stage, messageId, cancellationToken).ConfigureAwait(false);
            if (queue is null)
            {
                return;
            }
        }

        _participations.Enter(runId);
        try
        {
            await queue.DeliverAsync(delivery, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _participations.Exit(runId);
        }

        if (_inbox is not null)
        {
            await _inbox.TryRecordAsync(messageId, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
    }

    // A batch of a run this process has no queue open for: join the run, or leave the batch to the store when the run ended.
    // Returns null when the batch is to be acknowledged as it is; throws (after a pause) when it is to be tried again.
    private async Task<RabbitMqRunStageQueue?> JoinAsync(Guid runId, string stage, string messageId, CancellationToken cancellationToken)
    {
        // The pipeline reads the run's record: whether it runs, and whether this start of it was announced ended already.
        var outcome = _joiner is { } joiner ? await joiner.JoinAsync(runId, cancellationToken).ConfigureAwait(false) : (RunJoinOutcome?)null;
        switch (outcome)
        {
            case RunJoinOutcome.NotRunning or RunJoinOutcome.Unknown:
                // Its leads are stored in the state the batch found them in: counted pending by the run, fed by a resumed run.
                LogLeftToStore(_logger, messageId, stage, runId, outcome.Value);
                RabbitMqMetrics.Dropped.Add(1, new KeyValuePair<string, object?>("stage", stage));
                return null;
            case RunJoinOutcome.Joined or RunJoinOutcome.Started when _open.TryGetValue((runId, stage), out var queue):
                return queue;
        }

        // Published again with its attempt raised, and parked after the last attempt.
        await Task.Delay(UnknownRunDelay, _time, cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException(outcome switch
        {
            null => $"Run {runId}'s {stage} stage is not open in this process, and its pipeline has not been built to join runs.",
            RunJoinOutcome.NotJoinable => $"Run {runId} cannot be worked on by this process's pipeline (a dry run, or a kind or stage list it does not have).",
            _ => $"Run {runId}'s {stage} stage is not open in this process yet.",
        });
    }

    [LoggerMessage(EventId = 4120, Level = LogLevel.Information, Message = "Batch {MessageId} at {Stage} belongs to run {RunId}, which is not running ({Outcome}): acknowledged, its leads stay stored for a resumed run")]
    private static partial void LogLeftToStore(ILogger logger, string messageId, string stage, Guid runId, RunJoinOutcome outcome);

    [LoggerMessage(EventId = 4121, Level = LogLevel.Information, Message = "Run {RunId} was announced {What} by the process that started it")]
    private static partial void LogRunEnded(ILogger logger, Guid runId, string what);
}
