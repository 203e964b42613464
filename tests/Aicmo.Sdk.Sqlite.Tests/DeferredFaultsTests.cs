using Aicmo.Sdk.Storage.Sql;

namespace Aicmo.Sdk.Sqlite.Tests;

public sealed class DeferredFaultsTests
{
    [Fact]
    public void Record_MoreFailuresThanTheCapacity_KeepsTheNewestUpToTheCapacity()
    {
        var faults = new DeferredFaults(100);
        var leads = Enumerable.Range(0, 1000).Select(_ => Guid.NewGuid()).ToArray();

        foreach (var lead in leads)
        {
            faults.Record(lead, new InvalidOperationException(lead.ToString()));
        }

        Assert.Equal(100, faults.Count);
        Assert.False(faults.TryTake(leads[899], out _));
        Assert.True(faults.TryTake(leads[900], out var kept));
        Assert.Equal(leads[900].ToString(), kept.Message);
        Assert.Equal(99, faults.Count);
    }

    [Fact]
    public void Record_FailuresTakenAsFastAsTheyCome_NeverGrowsAndKeepsReporting()
    {
        var faults = new DeferredFaults(10);
        for (var i = 0; i < 100_000; i++)
        {
            var lead = Guid.NewGuid();
            faults.Record(lead, new InvalidOperationException("lost"));
            Assert.True(faults.TryTake(lead, out _));
            Assert.InRange(faults.OrderLength, 0, 21);
        }

        Assert.True(faults.IsEmpty);
        var last = Guid.NewGuid();
        faults.Record(last, new InvalidOperationException("lost"));
        Assert.True(faults.TryTake(last, out _));
    }
}
