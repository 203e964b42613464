using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Tests.Testing;

public class ManualTimeProviderTests
{
    [Fact]
    public void Advance_MovesClockAndTimestamp()
    {
        var start = new DateTimeOffset(2025, 3, 30, 0, 30, 0, TimeSpan.Zero);
        var clock = new ManualTimeProvider(start);
        var t0 = clock.GetTimestamp();

        clock.Advance(TimeSpan.FromMinutes(90));

        Assert.Equal(start.AddMinutes(90), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromMinutes(90), clock.GetElapsedTime(t0));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.SetUtcNow(start));
    }

    [Fact]
    public async Task Delay_CompletesOnlyWhenTheClockPassesIt()
    {
        var clock = new ManualTimeProvider();
        var delay = Task.Delay(TimeSpan.FromSeconds(10), clock);

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public void PeriodicTimer_FiresOncePerPeriodInDueOrder()
    {
        var clock = new ManualTimeProvider();
        var fired = new List<(string Name, DateTimeOffset At)>();
        using var a = clock.CreateTimer(_ => fired.Add(("a", clock.GetUtcNow())), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        using var b = clock.CreateTimer(_ => fired.Add(("b", clock.GetUtcNow())), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(7));

        Assert.Equal(["a", "b", "a", "a"], fired.Select(f => f.Name).ToArray());
        Assert.Equal([2, 3, 4, 6], fired.Select(f => (int)(f.At - new DateTimeOffset(2025, 1, 6, 9, 0, 0, TimeSpan.Zero)).TotalSeconds).ToArray());
    }

    [Fact]
    public void DisposedTimer_DoesNotFire()
    {
        var clock = new ManualTimeProvider();
        var fired = 0;
        var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        timer.Dispose();
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, fired);
    }
}
