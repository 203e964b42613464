using System.Collections.Concurrent;
using System.Threading.Channels;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// One lead stage's input over a queue of an <see cref="ILeadBatchTransport"/>. Publishing stores the leads that changed since
/// they were last stored (a compare-and-set per lead, with their audit events) and then publishes their ids; a lead whose write
/// lost is another writer's and is counted pending instead. Delivered batches are read back from the store by a few readers and
/// handed to the stage's workers; a lead whose stored state is already past this stage (a batch delivered again) is skipped,
/// or handed on to the stage its state belongs to. The queue is complete once the stage before it has finished and every batch
/// published to it has been acknowledged.
/// </summary>
/// <remarks><c>capacity</c> is the number of read batches held for the stage's workers.</remarks>
internal sealed class StoredLeadBatchQueue : IBatchQueue<Lead>, IAsyncDisposable
{
    private readonly StoredLeadTransport _owner;
    private readonly PipelineRuntime _runtime;
    private ILeadBatchQueue? _remote;
    private readonly int _index;
    private readonly Guid _runId;
    private readonly string _campaignId;
    private readonly string _stage;
    private readonly Action<int, int> _lostWrites;
    private readonly Channel<BatchDelivery<Lead>> _local;
    private readonly ConcurrentDictionary<long, int> _unacknowledged = new();
    private readonly ConcurrentDictionary<long, int> _unconsumed = new();
    private readonly ConcurrentDictionary<Batch<Lead>, (LeadBatchDelivery Delivery, List<Guid> Claimed, Lead[] Leads)> _delivered = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<Guid, byte> _working = new();
    private Task[] _readers = [];
    private long _depth;
    private volatile bool _complete;

    public StoredLeadBatchQueue(
        StoredLeadTransport owner, PipelineRuntime runtime, int index, Guid runId, string campaignId, int capacity, Action<int, int> lostWrites)
    {
        _owner = owner;
        _runtime = runtime;
        _index = index;
        _runId = runId;
        _campaignId = campaignId;
        _stage = runtime.Registry.Names[index];
        _lostWrites = lostWrites;
        _local = Channel.CreateBounded<BatchDelivery<Lead>>(new BoundedChannelOptions(capacity) { SingleWriter = false });
    }

    public int Depth => (int)Math.Max(0, Volatile.Read(ref _depth));

    /// <summary>Gets the leads published to this stage and not handed to its workers yet (held by the transport).</summary>
    public long Unconsumed => _unconsumed.Values.Sum(static c => (long)c);

    private ILeadBatchQueue Remote => _remote ?? throw new InvalidOperationException("The run's transport has not been started.");

    /// <summary>Starts the readers that turn the deliveries of <paramref name="remote"/> into batches of leads read from the store.</summary>
    public void Start(ILeadBatchQueue remote, int readers, CancellationToken token)
    {
        _remote = remote;
        _readers = new Task[readers];
        for (var i = 0; i < readers; i++)
        {
            _readers[i] = ReadAsync(token);
        }
    }

    public async ValueTask PublishAsync(Batch<Lead> batch, CancellationToken cancellationToken)
    {
        var lost = await StoreChangedAsync(batch).ConfigureAwait(false);
        var ids = new List<Guid>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var lead = batch[i];
            if (lost is null || !lost.Contains(lead.Id))
            {
                ids.Add(lead.Id);
            }
        }

        if (lost is not null)
        {
            _lostWrites(_index, lost.Count);
        }

        if (ids.Count == 0)
        {
            return;
        }

        var lineage = batch.Lineage;
        var id = lineage.IsNone ? _owner.NextBatch() : lineage.BatchIdFor(_index);
        var tracked = false;
        if (_owner.IsOrigin)
        {
            tracked = _owner.Track(_index, id, ids.Count);
        }
        else
        {
            // The origin learns of the batch from the report of the delivery it came out of.
            _owner.RecordHandOn(lineage, new LeadBatchHandOn(_stage, id, ids.Count));
        }

        try
        {
            await Remote.PublishAsync(new LeadIdBatch(_runId, _campaignId, id, _stage, ids), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (tracked)
            {
                _unacknowledged.TryRemove(id, out _);
                TakeUnconsumed(id);
            }

            throw;
        }
    }

    /// <summary>At the origin: tracks a batch published to this stage until it is acknowledged; false when it is tracked already.</summary>
    public bool Track(long batchId, int count)
    {
        if (!_unacknowledged.TryAdd(batchId, count))
        {
            return false;
        }

        _unconsumed[batchId] = count;
        Interlocked.Add(ref _depth, count);
        return true;
    }

    /// <summary>At the origin: a batch of this stage was acknowledged, here or in a process that joined the run.</summary>
    public void Settle(long batchId)
    {
        TakeUnconsumed(batchId);
        _unacknowledged.TryRemove(batchId, out _);
        CompleteWhenDone();
    }

    public void Complete()
    {
        _complete = true;
        CompleteWhenDone();
    }

    public ValueTask<bool> WaitToConsumeAsync(CancellationToken cancellationToken) => _local.Reader.WaitToReadAsync(cancellationToken);

    public bool TryConsume(out BatchDelivery<Lead> delivery)
    {
        if (_local.Reader.TryRead(out delivery))
        {
            TakeUnconsumed(delivery.Id.Batch);
            return true;
        }

        return false;
    }

    public ValueTask AcknowledgeAsync(in BatchDelivery<Lead> delivery) => AcknowledgeAsync(delivery.Batch, delivery.Id.Batch);

    /// <summary>The transport keeps what was not consumed, to deliver it again: nothing to take back here.</summary>
    public bool TryTakeUnconsumed(out Batch<Lead> batch)
    {
        batch = null!;
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        _local.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_readers).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // Deliveries not acknowledged go back to the transport, which delivers them again.
        if (_remote is not null)
        {
            await _remote.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask AcknowledgeAsync(Batch<Lead> batch, long batchId)
    {
        if (_delivered.TryRemove(batch, out var remote))
        {
            if (_owner.IsOrigin)
            {
                await remote.Delivery.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                var counts = Count(remote.Leads, batch, out var quarantined);
                var report = new LeadBatchReport(_runId, _stage, batchId, _owner.TakeHandOns(_index + 1, batchId), counts, quarantined);
                await remote.Delivery.AcknowledgeAsync(report, CancellationToken.None).ConfigureAwait(false);
            }

            foreach (var id in remote.Claimed)
            {
                _working.TryRemove(id, out _);
            }
        }

        if (_owner.IsOrigin)
        {
            _owner.Settle(_index, batchId);
        }
    }

    // What the stage did with a delivered batch's leads (those it worked on), told apart by the state each lead was left in:
    // handed on (still in the batch), stored at an outcome (its write won), stored as it is at the last stage of a run that ends
    // early, or pending. The leads it quarantined are listed with their faults.
    private LeadBatchCounts Count(Lead[] leads, Batch<Lead> handedOn, out List<LeadBatchQuarantine>? quarantinedLeads)
    {
        quarantinedLeads = null;
        long disqualified = 0, review = 0, routed = 0, contacted = 0, suppressed = 0, quarantined = 0, stored = 0, pending = 0;
        HashSet<Guid>? on = null;
        if (handedOn.Count > 0)
        {
            on = new HashSet<Guid>(handedOn.Count);
            for (var i = 0; i < handedOn.Count; i++)
            {
                on.Add(handedOn[i].Id);
            }
        }

        var last = _index == _runtime.Registry.Count - 1;
        foreach (var lead in leads)
        {
            if (on is not null && on.Contains(lead.Id))
            {
                continue;
            }

            if (lead.Version != lead.StoredVersion)
            {
                pending++;
                continue;
            }

            if (_runtime.Registry.ResumeIndexFor(lead) >= 0)
            {
                if (last && _runtime.EndsEarly)
                {
                    stored++;
                }
                else
                {
                    pending++;
                }

                continue;
            }

            switch (lead.Status)
            {
                case LeadStatus.Disqualified: disqualified++; break;
                case LeadStatus.ManualReview: review++; break;
                case LeadStatus.Routed: routed++; break;
                case LeadStatus.Contacted or LeadStatus.Replied or LeadStatus.Converted: contacted++; break;
                case LeadStatus.Unsubscribed or LeadStatus.Bounced: suppressed++; break;
                case LeadStatus.Quarantined:
                    quarantined++;
                    if (lead.Fault is { } fault)
                    {
                        (quarantinedLeads ??= []).Add(new LeadBatchQuarantine(lead.Id, fault));
                    }

                    break;
                default: pending++; break;
            }
        }

        return new LeadBatchCounts(leads.Length, handedOn.Count, disqualified, review, routed, contacted, suppressed, quarantined, stored, pending);
    }

    private void CompleteWhenDone()
    {
        if (_complete && _unacknowledged.IsEmpty)
        {
            _local.Writer.TryComplete();
        }
    }

    private void TakeUnconsumed(long batchId)
    {
        if (_unconsumed.TryRemove(batchId, out var count))
        {
            Interlocked.Add(ref _depth, -count);
        }
    }

    // Stores the leads that changed since they were last stored, so the process that receives their ids reads them as they are
    // now. Not cancellable: a write is either made or not, never abandoned halfway. Returns the leads whose write lost.
    private async ValueTask<HashSet<Guid>?> StoreChangedAsync(Batch<Lead> batch)
    {
        List<LeadUpdate>? changed = null;
        for (var i = 0; i < batch.Count; i++)
        {
            var lead = batch[i];
            if (lead.Version != lead.StoredVersion)
            {
                (changed ??= new List<LeadUpdate>(batch.Count)).Add(new LeadUpdate(lead, lead.StoredVersion));
            }
        }

        if (changed is null)
        {
            return null;
        }

        var updates = changed.ToArray();
        var stored = new bool[updates.Length];
        await LeadWrites.StoreManyAsync(_runtime.Leads, _runtime.Audit, updates, stored, CancellationToken.None).ConfigureAwait(false);
        HashSet<Guid>? lost = null;
        for (var i = 0; i < updates.Length; i++)
        {
            if (stored[i])
            {
                updates[i].Lead.StoredVersion = updates[i].Lead.Version;
            }
            else
            {
                (lost ??= []).Add(updates[i].Lead.Id);
            }
        }

        return lost;
    }

    private async Task ReadAsync(CancellationToken token)
    {
        await Task.Yield();
        try
        {
            var deliveries = Remote.Deliveries;
            while (await deliveries.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (deliveries.TryRead(out var delivery))
                {
                    await AcceptAsync(delivery, token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The stage's workers see the error and stop the run; the batch stays with the transport.
            _local.Writer.TryComplete(ex);
        }
    }

    // Reads a delivered batch's leads from the store and hands it to the stage's workers.
    private async ValueTask AcceptAsync(LeadBatchDelivery delivery, CancellationToken token)
    {
        var ids = delivery.Batch.LeadIds;
        var batch = new Batch<Lead>(ids.Count);
        Dictionary<int, Batch<Lead>>? ahead = null;
        var registry = _runtime.Registry;
        var claimed = new List<Guid>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            // A lead another delivery in this process works on at this stage (a copy of the batch delivered again while the
            // first is still in the stage) is left to that delivery; claimed before it is read, so a copy read after the first
            // delivery let go of it sees what that delivery stored.
            if (_working.TryAdd(ids[i], 0))
            {
                claimed.Add(ids[i]);
            }
        }

        // The claimed leads in one read (one query on the SQL stores).
        var read = await _runtime.Leads.GetManyAsync(claimed, token).ConfigureAwait(false);
        for (var i = 0; i < read.Count; i++)
        {
            var lead = read[i];
            var at = lead is null ? -1 : registry.ResumeIndexFor(lead);
            if (at < 0)
            {
                // At an outcome already: an earlier delivery of this batch finished it, and counted it.
                continue;
            }

            lead!.StoredVersion = lead.Version;
            if (at > _index && registry.ProducedAt(lead.Status) >= _index)
            {
                // An earlier delivery moved it past this stage (this stage or a later one left it in its state) and may not have
                // handed it on: it goes where its state belongs. A custom stage changes no state, so a lead scored before it
                // reaches it still scored, and is worked on.
                ahead ??= [];
                if (!ahead.TryGetValue(at, out var next))
                {
                    ahead[at] = next = new Batch<Lead>(ids.Count);
                }

                next.Lineage = new BatchLineage(_index + 1, delivery.Batch.BatchId, Ahead: true);
                next.Add(lead);
                continue;
            }

            batch.Add(lead);
        }

        if (ahead is not null)
        {
            foreach (var (stage, next) in ahead)
            {
                await _owner.Stage(stage).PublishAsync(next, token).ConfigureAwait(false);
            }
        }

        batch.Lineage = new BatchLineage(_index + 1, delivery.Batch.BatchId, Ahead: false);
        _delivered[batch] = (delivery, claimed, _owner.IsOrigin ? [] : batch.Memory.ToArray());
        if (batch.Count == 0)
        {
            TakeUnconsumed(delivery.Batch.BatchId);
            await AcknowledgeAsync(batch, delivery.Batch.BatchId).ConfigureAwait(false);
            return;
        }

        try
        {
            await _local.Writer.WriteAsync(
                new BatchDelivery<Lead>(batch, new BatchMessageId(_runId, delivery.Batch.BatchId, _index + 1, delivery.Attempt)), token).ConfigureAwait(false);
        }
        catch (ChannelClosedException) when (_complete)
        {
            // The stage has finished: every batch published to it was acknowledged, so this is a copy of one of them.
            await AcknowledgeAsync(batch, delivery.Batch.BatchId).ConfigureAwait(false);
        }
    }
}
