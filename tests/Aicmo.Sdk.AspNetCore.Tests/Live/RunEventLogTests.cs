using System.Text.Json;
using Aicmo.Sdk.AspNetCore.Live.Internal;

namespace Aicmo.Sdk.AspNetCore.Tests.Live;

public class RunEventLogTests
{
    private static readonly Guid RunId = Guid.NewGuid();

    [Fact]
    public async Task SlowSubscriber_LosesOldestWithAGapMarker_WhileAFastOneGetsEverything_AndPublishingNeverWaits()
    {
        var log = new RunEventLog(RunId, replayLimit: 10_000, subscriberBuffer: 4, TimeProvider.System);
        using var slow = log.Subscribe(0);
        using var fast = log.Subscribe(0);
        var fastSeen = new List<long>();
        using var received = new SemaphoreSlim(0);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var fastReader = Task.Run(async () =>
        {
            await foreach (var e in fast.ReadAllAsync(null, cts.Token))
            {
                fastSeen.Add(e!.Id);
                received.Release();
            }
        });

        // 1,000 events, each published only once the fast subscriber has it, while the slow one reads nothing at all:
        // publishing goes on regardless of the slow one.
        for (var i = 0; i < 1000; i++)
        {
            log.Publish(id => Envelope(id, "progress", milestone: false), completes: false);
            Assert.True(await received.WaitAsync(TimeSpan.FromSeconds(10)), "The fast subscriber stalled.");
        }

        log.Publish(id => Envelope(id, "complete", milestone: true), completes: true);
        await fastReader;
        var slowSeen = new List<RunEventEnvelope>();
        await foreach (var e in slow.ReadAllAsync(null, cts.Token))
        {
            slowSeen.Add(e!);
        }

        Assert.Equal(Enumerable.Range(1, 1001).Select(i => (long)i), fastSeen);
        var gap = Assert.Single(slowSeen, e => e.Type == RunEventMessages.Gap);
        var missed = JsonDocument.Parse(gap.Json).RootElement.GetProperty("payload").GetProperty("missed").GetInt64();
        var delivered = slowSeen.Where(e => e.Type != RunEventMessages.Gap).ToList();
        Assert.Equal(1001, missed + delivered.Count);
        Assert.Equal("complete", delivered[^1].Type);
        Assert.True(delivered.Count <= 4, $"The slow subscriber kept {delivered.Count} events with a buffer of 4.");
        Assert.Equal(0, log.SubscriberCount);
    }

    [Fact]
    public async Task Subscribe_AfterLastEventId_ReplaysOnlyLaterEvents_KeepingMilestonesBeyondTheReplayLimit()
    {
        var log = new RunEventLog(RunId, replayLimit: 3, subscriberBuffer: 16, TimeProvider.System);
        log.Publish(id => Envelope(id, "agent_status", milestone: true), completes: false);
        for (var i = 0; i < 10; i++)
        {
            log.Publish(id => Envelope(id, "progress", milestone: false), completes: false);
        }

        log.Publish(id => Envelope(id, "complete", milestone: true), completes: true);

        using var all = log.Subscribe(0);
        using var late = log.Subscribe(10);
        var fromStart = await ReadAsync(all);
        var afterTen = await ReadAsync(late);

        Assert.Equal([0L, 1, 9, 10, 11, 12], fromStart.Select(e => e.Id));
        Assert.Equal(RunEventMessages.Gap, fromStart[0].Type);
        Assert.Equal([11L, 12], afterTen.Select(e => e.Id));
    }

    private static async Task<List<RunEventEnvelope>> ReadAsync(RunSubscription subscription)
    {
        var list = new List<RunEventEnvelope>();
        await foreach (var e in subscription.ReadAllAsync(null, CancellationToken.None))
        {
            list.Add(e!);
        }

        return list;
    }

    private static RunEventEnvelope Envelope(long id, string type, bool milestone) =>
        new(id, type, JsonSerializer.Serialize(new { id, type }), milestone);
}
