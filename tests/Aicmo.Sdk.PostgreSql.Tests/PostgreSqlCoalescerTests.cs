namespace Aicmo.Sdk.PostgreSql.Tests;

public sealed class PostgreSqlCoalescerTests
{
    [Fact]
    public async Task RunAsync_ServerFallsBehind_CallersWaitForRoomAndEveryCallCompletesWithItsResult()
    {
        // A "server" that holds each group until released: the first group is at the server, the queue fills up behind it.
        var release = new SemaphoreSlim(0);
        var groups = 0;
        var coalescer = new PostgreSqlCoalescer<int, int>(
            async requests =>
            {
                Interlocked.Increment(ref groups);
                await release.WaitAsync();
                return [.. requests.Select(r => r * 10)];
            },
            r => Task.FromResult(r * 10),
            maxGroup: 4,
            capacity: 8);

        var first = coalescer.RunAsync(0);
        while (Volatile.Read(ref groups) == 0)
        {
            await Task.Delay(1);
        }

        var calls = Enumerable.Range(1, 40).Select(coalescer.RunAsync).ToArray();

        // The group at the server holds one call and the queue eight; the other 32 callers wait for room (an unbounded queue
        // would hold all 40).
        Assert.Equal(8, coalescer.Queued);
        Assert.All(calls, c => Assert.False(c.IsCompleted));
        Assert.Equal(1, Volatile.Read(ref groups));

        release.Release(100);
        var results = await Task.WhenAll(calls.Prepend(first));

        Assert.Equal(Enumerable.Range(0, 41).Select(r => r * 10), results);
        Assert.InRange(Volatile.Read(ref groups), 11, 41);
        await coalescer.CompleteAsync();
    }

    [Fact]
    public async Task RunAsync_AfterComplete_ThrowsObjectDisposed()
    {
        var coalescer = new PostgreSqlCoalescer<int, int>(r => Task.FromResult(r.ToArray()), Task.FromResult, maxGroup: 2, capacity: 2);
        await coalescer.CompleteAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => coalescer.RunAsync(1));
    }
}
