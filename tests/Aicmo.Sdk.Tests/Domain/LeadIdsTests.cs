using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Tests.Domain;

public class LeadIdsTests
{
    [Fact]
    public void NewVersion7_Always_HasVersion7AndTheRfc9562Variant()
    {
        for (var i = 0; i < 1000; i++)
        {
            var id = LeadIds.NewVersion7(DateTimeOffset.UtcNow);

            Assert.Equal(7, id.Version);
            Assert.InRange(id.Variant, 0b1000, 0b1011);
        }
    }

    [Fact]
    public void NewVersion7_SameTimestamp_StartsLikeGuidCreateVersion7()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

        var ours = LeadIds.NewVersion7(at).ToString();
        var framework = Guid.CreateVersion7(at).ToString();

        // The first 48 bits are the Unix milliseconds, then the version nibble.
        Assert.Equal(framework[..15], ours[..15]);
    }

    [Fact]
    public void NewVersion7_LaterTimestamp_SortsAfter()
    {
        var earlier = LeadIds.NewVersion7(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var later = LeadIds.NewVersion7(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_001));

        Assert.True(string.CompareOrdinal(earlier.ToString(), later.ToString()) < 0);
    }

    [Fact]
    public void NewVersion7_ManyThreadsSameMillisecond_AllUnique()
    {
        // More ids per thread than one refill of the random buffer, all in one millisecond: only the random bits tell them apart.
        var at = DateTimeOffset.UtcNow;
        var ids = new ConcurrentBag<Guid>();
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                ids.Add(LeadIds.NewVersion7(at));
            }
        });

        Assert.Equal(20_000, ids.Distinct().Count());
    }

    [Fact]
    public void NewVersion7_BeforeTheUnixEpoch_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LeadIds.NewVersion7(DateTimeOffset.UnixEpoch.AddMilliseconds(-1)));
}
