using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Xunit;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>The contract every <see cref="IAuditLog"/> must meet. Derive from it in the store's test assembly.</summary>
public abstract class AuditLogContractTests
{
    /// <summary>Gets how many tasks the concurrency facts start at once.</summary>
    /// <value>The default value is 64.</value>
    protected virtual int Concurrency => 64;

    private static readonly Guid RunId = new("0195f0c1-7a2b-7c3d-8e4f-a1b2c3d4e5f6");

    /// <summary>Creates the store under test, ready to use.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<IAuditLog> CreateStoreAsync();

    /// <summary>Creates an event of a lead.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="sequence">The sequence number.</param>
    /// <param name="reason">The reason.</param>
    /// <returns>The event.</returns>
    protected static AuditEvent NewEvent(Guid leadId, long sequence, string reason = "scored 0.82 (grade A)") => new(
        leadId,
        "campaign-audit",
        RunId,
        sequence,
        "score",
        sequence == 1 ? null : (LeadStatus)((sequence - 2) % 13),
        (LeadStatus)((sequence - 1) % 13),
        reason,
        ContractTestData.At(sequence));

    /// <summary>A lead without events has an empty trail.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ReadAsync_UnknownLead_ReturnsEmpty()
    {
        var store = await CreateStoreAsync();

        Assert.Empty(await store.ReadAsync(Guid.NewGuid()));
    }

    /// <summary>Events read back unchanged, in sequence order, with the creation event's missing previous state kept.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AppendAsync_InOrder_ReadsBackUnchanged()
    {
        var store = await CreateStoreAsync();
        var lead = Guid.NewGuid();
        var events = Enumerable.Range(1, 6).Select(i => NewEvent(lead, i)).ToList();
        foreach (var e in events)
        {
            await store.AppendAsync(e);
        }

        var trail = await store.ReadAsync(lead);

        Assert.Equal(events, trail);
        Assert.Null(trail[0].From);
    }

    /// <summary>Events appended out of order still read back in sequence order.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AppendAsync_OutOfOrder_ReadsBackInSequenceOrder()
    {
        var store = await CreateStoreAsync();
        var lead = Guid.NewGuid();
        var events = new long[] { 3, 1, 5, 2, 4 }.Select(i => NewEvent(lead, i)).ToList();
        foreach (var e in events)
        {
            await store.AppendAsync(e);
        }

        Assert.Equal(events.OrderBy(e => e.Sequence), await store.ReadAsync(lead));
    }

    /// <summary>A batch of several leads' events reads back per lead, unchanged and in order, after the events appended before it.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AppendManyAsync_SeveralLeads_ReadsBackInOrderAfterEarlierEvents()
    {
        var store = await CreateStoreAsync();
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        await store.AppendAsync(NewEvent(a, 1));
        AuditEvent[] batch = [NewEvent(b, 1), NewEvent(a, 2), NewEvent(a, 3, ContractTestData.NonAscii), NewEvent(b, 2), NewEvent(a, 4)];

        await store.AppendManyAsync(batch);
        await store.AppendAsync(NewEvent(a, 5));

        Assert.Equal([NewEvent(a, 1), batch[1], batch[2], batch[4], NewEvent(a, 5)], await store.ReadAsync(a));
        Assert.Equal([batch[0], batch[3]], await store.ReadAsync(b));
    }

    /// <summary>
    /// A lead's trail holds one event per sequence number: an event appended again for a sequence (a step repeated after a crash)
    /// replaces the stored one, within and across batches, the last appended winning.
    /// </summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AppendManyAsync_SameSequence_KeepsOneEventPerSequenceTheLastAppended()
    {
        var store = await CreateStoreAsync();
        var lead = Guid.NewGuid();
        AuditEvent[] first = [NewEvent(lead, 1, "first"), NewEvent(lead, 2, "second"), NewEvent(lead, 3, "third")];
        AuditEvent[] second = [NewEvent(lead, 2, "again"), NewEvent(lead, 2, "once more")];

        await store.AppendManyAsync(first);
        await store.AppendManyAsync(second);
        await store.AppendAsync(NewEvent(lead, 3, "last"));

        var trail = await store.ReadAsync(lead);
        Assert.Equal([1L, 2L, 3L], trail.Select(e => e.Sequence));
        Assert.Equal(["first", "once more", "last"], trail.Select(e => e.Reason));
    }

    /// <summary>The caller may reuse its buffer as soon as the call returns: what was appended is what the buffer held during the call.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AppendManyAsync_BufferReusedAfterCall_StoresEventsAsGiven()
    {
        var store = await CreateStoreAsync();
        var lead = Guid.NewGuid();
        var buffer = new[] { NewEvent(lead, 1), NewEvent(lead, 2), NewEvent(lead, 3) };
        var expected = buffer.ToArray();

        await store.AppendManyAsync(buffer.AsMemory(0, 2));
        buffer[0] = NewEvent(lead, 7, "overwritten");
        buffer[1] = NewEvent(lead, 8, "overwritten");

        Assert.Equal(expected[..2], await store.ReadAsync(lead));
    }

    /// <summary>Many tasks appending batches at once lose no event and keep every trail ordered.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AppendManyAsync_ManyConcurrentBatches_LosesNothing()
    {
        var store = await CreateStoreAsync();
        var leads = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToList();
        var batches = Enumerable.Range(0, Math.Max(2, Concurrency / 4))
            .Select(b => leads.Select(lead => NewEvent(lead, 1 + b)).ToArray())
            .ToList();

        await Concurrently.RunAsync(batches, async batch =>
        {
            await store.AppendManyAsync(batch).ConfigureAwait(false);
            return true;
        });

        foreach (var lead in leads)
        {
            Assert.Equal(batches.Select(batch => batch.Single(e => e.LeadId == lead)), await store.ReadAsync(lead));
        }
    }

    /// <summary>Empty text (stage, reason) reads back as empty, not as a missing value, appended alone or in a batch.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AppendAsync_EmptyText_RoundTripsAsEmpty()
    {
        var store = await CreateStoreAsync();
        var lead = Guid.NewGuid();
        var single = NewEvent(lead, 1, string.Empty) with { Stage = string.Empty };
        var batched = NewEvent(lead, 2, string.Empty) with { Stage = string.Empty };

        await store.AppendAsync(single);
        await store.AppendManyAsync(new[] { batched });

        Assert.Equal([single, batched], await store.ReadAsync(lead));
    }

    /// <summary>An empty batch is a no-op.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AppendManyAsync_EmptyBatch_DoesNothing()
    {
        var store = await CreateStoreAsync();

        await store.AppendManyAsync(ReadOnlyMemory<AuditEvent>.Empty);

        Assert.Empty(await store.ReadAsync(Guid.NewGuid()));
    }

    /// <summary>Each lead's trail holds its own events only.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ReadAsync_SeveralLeads_KeepsTrailsApart()
    {
        var store = await CreateStoreAsync();
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        await store.AppendAsync(NewEvent(a, 1));
        await store.AppendAsync(NewEvent(b, 1));
        await store.AppendAsync(NewEvent(a, 2));

        Assert.Equal([NewEvent(a, 1), NewEvent(a, 2)], await store.ReadAsync(a));
        Assert.Equal([NewEvent(b, 1)], await store.ReadAsync(b));
    }

    /// <summary>Many tasks appending at once, to many leads and to one lead, lose no event and keep every trail ordered.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AppendAsync_ManyConcurrentWriters_LosesNothing()
    {
        var store = await CreateStoreAsync();
        var leads = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToList();
        var events = Enumerable.Range(0, Concurrency * 4).Select(i => NewEvent(leads[i % leads.Count], 1 + (i / leads.Count))).ToList();

        await Concurrently.RunAsync(events, async e =>
        {
            await store.AppendAsync(e).ConfigureAwait(false);
            return true;
        });

        foreach (var lead in leads)
        {
            var expected = events.Where(e => e.LeadId == lead).OrderBy(e => e.Sequence).ToList();
            Assert.Equal(expected, await store.ReadAsync(lead));
        }
    }

    /// <summary>An event is readable as soon as its append completes.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AppendAsync_Completed_IsReadableImmediately()
    {
        var store = await CreateStoreAsync();
        var lead = Guid.NewGuid();
        for (var i = 1; i <= 20; i++)
        {
            await store.AppendAsync(NewEvent(lead, i));
            Assert.Equal(i, (await store.ReadAsync(lead)).Count);
        }
    }

    /// <summary>Redaction replaces the reasons of one lead's events, keeping the transitions and other leads' trails.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task RedactAsync_ReplacesReasonsOfOneLead()
    {
        var store = await CreateStoreAsync();
        var lead = Guid.NewGuid();
        var other = Guid.NewGuid();
        var events = Enumerable.Range(1, 3).Select(i => NewEvent(lead, i, "title 'CTO' of Ada")).ToList();
        foreach (var e in events)
        {
            await store.AppendAsync(e);
        }

        await store.AppendAsync(NewEvent(other, 1, "kept"));

        Assert.Equal(3, await store.RedactAsync(lead, "[erased]"));

        Assert.Equal(events.Select(e => e with { Reason = "[erased]" }), await store.ReadAsync(lead));
        Assert.Equal("kept", Assert.Single(await store.ReadAsync(other)).Reason);
        Assert.Equal(0, await store.RedactAsync(Guid.NewGuid(), "[erased]"));
    }

    /// <summary>
    /// Redaction leaves an erasure's record (stage <see cref="LeadEraser.Stage"/>) as it was written, whenever it comes, and
    /// replaces every other reason of the lead: an erasure stopped after its sweep still shows why it happened.
    /// </summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task RedactAsync_TrailHoldsAnErasureRecord_TheRecordKeepsItsReason()
    {
        var store = await CreateStoreAsync();
        var lead = Guid.NewGuid();
        await store.AppendManyAsync(new[] { NewEvent(lead, 1, "title 'CTO' of Ada"), NewEvent(lead, 2, "Ada replied") });
        var record = NewEvent(lead, 3, "personal data erased: request #42") with { Stage = LeadEraser.Stage };
        await store.AppendAsync(record);
        await store.AppendAsync(NewEvent(lead, 4, "Ada appended meanwhile"));

        Assert.Equal(3, await store.RedactAsync(lead, "[erased]"));
        Assert.Equal(3, await store.RedactAsync(lead, "[erased]"));

        var trail = await store.ReadAsync(lead);
        Assert.Equal([1L, 2, 3, 4], trail.Select(e => e.Sequence));
        Assert.Equal(["[erased]", "[erased]", "personal data erased: request #42", "[erased]"], trail.Select(e => e.Reason));
        Assert.Equal(record, trail[2]);
    }

    /// <summary>Hostile text in the stage, reason and campaign round-trips unchanged.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task AppendAsync_HostileValues_RoundTripUnchanged()
    {
        var store = await CreateStoreAsync();
        foreach (var hostile in ContractTestData.HostileValues)
        {
            var lead = Guid.NewGuid();
            var e = NewEvent(lead, 1, hostile) with { Stage = hostile, CampaignId = hostile };

            await store.AppendAsync(e);

            Assert.Equal([e], await store.ReadAsync(lead));
        }
    }
}
