using System.Globalization;
using Aicmo.Sdk.Nurture;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Tests.Nurture;

public sealed class SendThrottleTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static string Domain(int i) => string.Create(CultureInfo.InvariantCulture, $"d{i}.example");

    [Fact]
    public void TryAcquire_ManyRecipientDomainsOverDays_IdleKeysAreForgotten()
    {
        var time = new FakeTimeProvider(Start);
        var throttle = new SendThrottle(new EmailNurturerOptions { MaxPerRecipientDomainPerDay = 50 });

        // Three days of sends, each day to 5,000 domains never seen again.
        for (var day = 0; day < 3; day++)
        {
            for (var i = 0; i < 5000; i++)
            {
                Assert.True(throttle.TryAcquire("outreach@example.com", Domain((day * 5000) + i), time.GetUtcNow()).Acquired);
            }

            time.Advance(TimeSpan.FromHours(25));
        }

        // A send after the last day's window has passed sweeps everything idle: the mailbox and this send's domain remain.
        Assert.True(throttle.TryAcquire("outreach@example.com", "fresh.example", time.GetUtcNow()).Acquired);
        Assert.Equal(2, throttle.TrackedKeys);
    }

    [Fact]
    public void TryAcquire_KeysAreSweptWhileADomainIsAtItsLimit_TheLimitStillHolds()
    {
        var time = new FakeTimeProvider(Start);
        var throttle = new SendThrottle(new EmailNurturerOptions { MaxPerRecipientDomainPerHour = 2 });
        Assert.True(throttle.TryAcquire("outreach@example.com", "busy.example", time.GetUtcNow()).Acquired);
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(throttle.TryAcquire("outreach@example.com", "busy.example", time.GetUtcNow()).Acquired);

        // Enough new keys, and enough time, for sweeps to run while busy.example still has both sends in its window.
        time.Advance(TimeSpan.FromMinutes(40));
        for (var i = 0; i < 3000; i++)
        {
            Assert.True(throttle.TryAcquire("outreach@example.com", Domain(i), time.GetUtcNow()).Acquired);
        }

        var refused = throttle.TryAcquire("outreach@example.com", "busy.example", time.GetUtcNow());

        Assert.False(refused.Acquired);
        Assert.Equal(Start.AddHours(1), refused.RetryAt);
        Assert.Contains("busy.example", refused.Limit, StringComparison.Ordinal);

        // Once the first send leaves the hour, the domain has room again.
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(throttle.TryAcquire("outreach@example.com", "busy.example", time.GetUtcNow()).Acquired);
    }
}
