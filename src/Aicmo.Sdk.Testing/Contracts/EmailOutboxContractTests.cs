using Aicmo.Sdk.Storage;
using Xunit;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>The contract every <see cref="IEmailOutbox"/> must meet. Derive from it in the store's test assembly.</summary>
/// <remarks>Listing facts see the whole outbox: <see cref="CreateStoreAsync"/> must return an empty store.</remarks>
public abstract class EmailOutboxContractTests
{
    /// <summary>Gets how many tasks the concurrency facts start at once.</summary>
    /// <value>The default value is 64.</value>
    protected virtual int Concurrency => 64;

    /// <summary>Creates an empty store under test, ready to use.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<IEmailOutbox> CreateStoreAsync();

    /// <summary>Creates a pending entry.</summary>
    /// <param name="key">The key, or <see langword="null"/> for a new lead's step 1 of <c>enterprise</c>.</param>
    /// <param name="createdAt">When, or <see langword="null"/> for <see cref="ContractTestData.BaseTime"/>.</param>
    /// <returns>The entry.</returns>
    protected static OutboxEntry NewEntry(OutboxKey? key = null, DateTimeOffset? createdAt = null) => new()
    {
        Key = key ?? new OutboxKey(Guid.NewGuid(), "enterprise", 1),
        CampaignId = "campaign-outbox",
        To = "ada@example.com",
        Subject = "Ada, a quick question about Analytical Engines",
        Status = OutboxStatus.Pending,
        CreatedAt = createdAt ?? ContractTestData.BaseTime,
    };

    /// <summary>A first reservation creates the entry, which reads back unchanged.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ReserveAsync_NewKey_CreatesEntry()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry();

        var reservation = await store.ReserveAsync(entry);

        Assert.True(reservation.Created);
        Assert.Equal(entry, reservation.Entry);
        Assert.Equal(entry, await store.GetAsync(entry.Key));
    }

    /// <summary>A second reservation of a key returns the stored entry and changes nothing.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ReserveAsync_ExistingKey_ReturnsStoredEntry()
    {
        var store = await CreateStoreAsync();
        var first = NewEntry();
        await store.ReserveAsync(first);
        await store.MarkSentAsync(first.Key, "msg-1", ContractTestData.At(5));
        var sent = await store.GetAsync(first.Key);

        var again = await store.ReserveAsync(first with { Subject = "another subject", CreatedAt = ContractTestData.At(9) });

        Assert.False(again.Created);
        Assert.Equal(sent, again.Entry);
        Assert.Equal(OutboxStatus.Sent, again.Entry.Status);
        Assert.Equal(sent, await store.GetAsync(first.Key));
    }

    /// <summary>Lead, sequence and step each make a different key.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ReserveAsync_KeysDifferingInOnePart_AreDistinct()
    {
        var store = await CreateStoreAsync();
        var lead = Guid.NewGuid();
        OutboxKey[] keys = [new(lead, "enterprise", 1), new(lead, "enterprise", 2), new(lead, "smb", 1), new(lead, "Enterprise", 1), new(Guid.NewGuid(), "enterprise", 1)];

        foreach (var key in keys)
        {
            Assert.True((await store.ReserveAsync(NewEntry(key))).Created);
        }

        Assert.Equal(keys.Length, (await store.ListAsync(take: 100)).Count);
    }

    /// <summary>Many tasks reserving one key at once: exactly one creates it, and every task sees that entry.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ReserveAsync_ManyConcurrentWritersSameKey_ExactlyOneCreates()
    {
        var store = await CreateStoreAsync();
        var key = new OutboxKey(Guid.NewGuid(), "enterprise", 1);
        var attempts = Enumerable.Range(0, Concurrency).Select(i => NewEntry(key) with { Subject = "attempt " + i }).ToList();

        var results = await Concurrently.RunAsync(attempts, e => store.ReserveAsync(e).AsTask());

        var created = Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal(created.Entry, r.Entry));
        Assert.Equal(created.Entry, await store.GetAsync(key));
        Assert.Single(await store.ListAsync());
    }

    /// <summary>Marking a send records the transport's id and time, counts the attempt and clears the last error.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task MarkSentAsync_AfterFailure_RecordsSendAndClearsError()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry();
        await store.ReserveAsync(entry);
        await store.MarkFailedAsync(entry.Key, "SmtpException: 451 try later");

        var failed = await store.GetAsync(entry.Key);
        Assert.Equal(entry with { Status = OutboxStatus.Failed, Attempts = 1, Error = "SmtpException: 451 try later" }, failed);

        await store.MarkSentAsync(entry.Key, "msg-42", ContractTestData.At(100));

        Assert.Equal(
            entry with { Status = OutboxStatus.Sent, Attempts = 2, SentAt = ContractTestData.At(100), ProviderMessageId = "msg-42", Error = null },
            await store.GetAsync(entry.Key));
    }

    /// <summary>A transport that gives no id leaves it unset.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task MarkSentAsync_NoProviderId_StoresNull()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry();
        await store.ReserveAsync(entry);

        await store.MarkSentAsync(entry.Key, null, ContractTestData.At(1));

        var stored = await store.GetAsync(entry.Key);
        Assert.Equal(OutboxStatus.Sent, stored!.Status);
        Assert.Null(stored.ProviderMessageId);
    }

    /// <summary>A late failure report never turns a sent email back into a failed one.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task MarkFailedAsync_AfterSent_KeepsSent()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry();
        await store.ReserveAsync(entry);
        await store.MarkSentAsync(entry.Key, "msg-1", ContractTestData.At(1));
        var sent = await store.GetAsync(entry.Key);

        await store.MarkFailedAsync(entry.Key, "timeout");

        Assert.Equal(sent, await store.GetAsync(entry.Key));
    }

    /// <summary>Marking a key that was never reserved is a bug in the caller.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task Mark_UnknownKey_Throws()
    {
        var store = await CreateStoreAsync();
        var key = new OutboxKey(Guid.NewGuid(), "enterprise", 1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.MarkSentAsync(key, "msg", ContractTestData.BaseTime).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.MarkFailedAsync(key, "error").AsTask());
        Assert.Null(await store.GetAsync(key));
    }

    /// <summary>An unknown key reads as null.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetAsync_Missing_ReturnsNull()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync(new OutboxKey(Guid.NewGuid(), "enterprise", 1)));
    }

    /// <summary>Entries are listed oldest first, filtered by state, and pages neither skip nor repeat an entry.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ListAsync_PagedAndFiltered_OldestFirst()
    {
        var store = await CreateStoreAsync();
        var entries = Enumerable.Range(0, 17).Select(i => NewEntry(createdAt: ContractTestData.At(i))).ToList();
        foreach (var e in entries)
        {
            await store.ReserveAsync(e);
        }

        var sent = entries.Where((_, i) => i % 3 == 0).ToList();
        foreach (var e in sent)
        {
            await store.MarkSentAsync(e.Key, "msg", ContractTestData.At(1000));
        }

        var seen = new List<OutboxKey>();
        for (var skip = 0; skip < 25; skip += 4)
        {
            var page = await store.ListAsync(null, skip, 4);
            Assert.True(page.Count <= 4);
            seen.AddRange(page.Select(e => e.Key));
        }

        Assert.Equal(entries.Select(e => e.Key), seen);
        Assert.Equal(sent.Select(e => e.Key), (await store.ListAsync(OutboxStatus.Sent)).Select(e => e.Key));
        Assert.Equal(entries.Except(sent).Select(e => e.Key), (await store.ListAsync(OutboxStatus.Pending, take: 1000)).Select(e => e.Key));
        Assert.Equal(sent.Skip(2).Take(2).Select(e => e.Key), (await store.ListAsync(OutboxStatus.Sent, skip: 2, take: 2)).Select(e => e.Key));
        Assert.Empty(await store.ListAsync(OutboxStatus.Failed));
    }

    /// <summary>A negative skip or a page size below one is rejected.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ListAsync_InvalidPage_Throws()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() => store.ListAsync(skip: -1).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() => store.ListAsync(take: 0).AsTask());
    }

    /// <summary>Redaction replaces recipient, subject and error of one lead's entries, keeping keys and states.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task RedactAsync_ReplacesRecipientAndSubjectOfOneLead()
    {
        var store = await CreateStoreAsync();
        var lead = Guid.NewGuid();
        var sent = NewEntry(new OutboxKey(lead, "enterprise", 1));
        var failed = NewEntry(new OutboxKey(lead, "enterprise", 2));
        var other = NewEntry();
        await store.ReserveAsync(sent);
        await store.ReserveAsync(failed);
        await store.ReserveAsync(other);
        await store.MarkSentAsync(sent.Key, "msg-1", ContractTestData.At(1));
        await store.MarkFailedAsync(failed.Key, "550 ada@example.com unknown");

        Assert.Equal(2, await store.RedactAsync(lead, "[erased]"));

        var redactedSent = await store.GetAsync(sent.Key);
        Assert.Equal(("[erased]", "[erased]", OutboxStatus.Sent, (string?)null), (redactedSent!.To, redactedSent.Subject, redactedSent.Status, redactedSent.Error));
        var redactedFailed = await store.GetAsync(failed.Key);
        Assert.Equal(("[erased]", OutboxStatus.Failed, "[erased]"), (redactedFailed!.To, redactedFailed.Status, redactedFailed.Error));
        Assert.Equal(other, await store.GetAsync(other.Key));
        Assert.False((await store.ReserveAsync(sent)).Created);
    }

    /// <summary>A dry-run entry keeps its state.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ReserveAsync_DryRun_KeepsState()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry() with { Status = OutboxStatus.DryRun };

        await store.ReserveAsync(entry);

        Assert.Equal(entry, await store.GetAsync(entry.Key));
        Assert.Equal([entry], await store.ListAsync(OutboxStatus.DryRun));
    }

    /// <summary>Hostile text in the sequence, recipient, subject, campaign, transport id and error round-trips unchanged.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ReserveAsync_HostileValues_RoundTripUnchanged()
    {
        var store = await CreateStoreAsync();
        foreach (var hostile in ContractTestData.HostileValues)
        {
            var entry = NewEntry(new OutboxKey(Guid.NewGuid(), hostile, int.MaxValue)) with { To = hostile, Subject = hostile, CampaignId = hostile };

            Assert.True((await store.ReserveAsync(entry)).Created);
            Assert.Equal(entry, await store.GetAsync(entry.Key));

            await store.MarkFailedAsync(entry.Key, hostile);
            Assert.Equal(hostile, (await store.GetAsync(entry.Key))!.Error);
            await store.MarkSentAsync(entry.Key, hostile, ContractTestData.At(1));
            Assert.Equal(hostile, (await store.GetAsync(entry.Key))!.ProviderMessageId);
        }
    }

    /// <summary>A claim that has not expired cannot be taken over, whoever asks.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryReclaimAsync_LiveClaim_IsRefused()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry() with { ClaimOwner = "host-a/1/first", ClaimExpiresAt = ContractTestData.At(60_000) };
        await store.ReserveAsync(entry);

        var taken = await store.TryReclaimAsync(entry, "host-b/2/second", ContractTestData.At(120_000), ContractTestData.At(30_000));

        Assert.Null(taken);
        Assert.Equal(entry, await store.GetAsync(entry.Key));
    }

    /// <summary>An expired claim is taken over by exactly one of many concurrent callers, under the winner's owner and expiry.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryReclaimAsync_ExpiredClaim_ExactlyOneConcurrentCallerWins()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry() with { ClaimOwner = "dead-host/1/first", ClaimExpiresAt = ContractTestData.At(60_000) };
        await store.ReserveAsync(entry);
        var seen = (await store.GetAsync(entry.Key))!;

        var results = await Concurrently.RunAsync(
            Enumerable.Range(0, Concurrency).ToList(),
            async i => await store.TryReclaimAsync(seen, $"host/{i}", ContractTestData.At(200_000), ContractTestData.At(90_000)));

        var winners = results.Where(r => r is not null).ToList();
        Assert.Single(winners);
        var stored = (await store.GetAsync(entry.Key))!;
        Assert.Equal(winners[0], stored);
        Assert.Equal(OutboxStatus.Pending, stored.Status);
        Assert.Equal(ContractTestData.At(200_000), stored.ClaimExpiresAt);
        Assert.StartsWith("host/", stored.ClaimOwner, StringComparison.Ordinal);
    }

    /// <summary>A failed entry can be claimed at once; the claim is a compare-and-set on what the caller saw.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryReclaimAsync_FailedEntry_IsClaimedOnlyAsSeen()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry() with { ClaimOwner = "host-a/1/first", ClaimExpiresAt = ContractTestData.At(60_000) };
        await store.ReserveAsync(entry);
        await store.MarkFailedAsync(entry.Key, "421 try later");
        var failed = (await store.GetAsync(entry.Key))!;

        var stale = await store.TryReclaimAsync(entry, "host-c/3/x", ContractTestData.At(70_000), ContractTestData.At(10_000));
        var claimed = await store.TryReclaimAsync(failed, "host-b/2/second", ContractTestData.At(70_000), ContractTestData.At(10_000));
        var again = await store.TryReclaimAsync(failed, "host-c/3/third", ContractTestData.At(70_000), ContractTestData.At(10_000));

        Assert.Null(stale);
        Assert.NotNull(claimed);
        Assert.Equal(OutboxStatus.Pending, claimed.Status);
        Assert.Equal("host-b/2/second", claimed.ClaimOwner);
        Assert.Null(again);
    }

    /// <summary>A sent entry is never claimed again, even when its claim has long expired.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task TryReclaimAsync_SentEntry_IsRefused()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry() with { ClaimOwner = "host-a/1/first", ClaimExpiresAt = ContractTestData.At(60_000) };
        await store.ReserveAsync(entry);
        await store.MarkSentAsync(entry.Key, "msg-1", ContractTestData.At(1_000));
        var sent = (await store.GetAsync(entry.Key))!;

        Assert.Null(await store.TryReclaimAsync(sent, "host-b/2/second", ContractTestData.At(999_000), ContractTestData.At(900_000)));
        Assert.Equal(OutboxStatus.Sent, (await store.GetAsync(entry.Key))!.Status);
    }

    /// <summary>A claim's owner and expiry are stored with the reservation and read back.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task ReserveAsync_WithClaim_RoundTripsOwnerAndExpiry()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry() with { ClaimOwner = "host-a/42/" + Guid.NewGuid().ToString("N"), ClaimExpiresAt = ContractTestData.At(300_000) };

        var reservation = await store.ReserveAsync(entry);

        Assert.Equal(entry, reservation.Entry);
        Assert.Equal(entry, await store.GetAsync(entry.Key));
        Assert.True(entry.IsClaimLive(ContractTestData.At(299_999)));
        Assert.False(entry.IsClaimLive(ContractTestData.At(300_000)));
    }

    /// <summary>The sequence a lead was first mailed in is found by lead id; a lead never mailed has none.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task FindSequenceAsync_ReturnsTheOldestEntrysSequence()
    {
        var store = await CreateStoreAsync();
        var lead = Guid.NewGuid();
        await store.ReserveAsync(NewEntry(new OutboxKey(lead, "smb", 1)));
        await store.ReserveAsync(NewEntry(new OutboxKey(lead, "enterprise", 1)));
        await store.ReserveAsync(NewEntry(new OutboxKey(Guid.NewGuid(), "other", 1)));

        Assert.Equal("smb", await store.FindSequenceAsync(lead));
        Assert.Null(await store.FindSequenceAsync(Guid.NewGuid()));
    }
}
