using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class AuditRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static ServiceProvider Build(Action<AuditRetentionOptions> configure, FakeTimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddAicmoPipeline(o => configure(o.AuditRetention));
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task PruneAsync_RetentionOf90Days_DeletesOlderEventsOfClosedTrailsOnly()
    {
        var time = new FakeTimeProvider(Now);
        await using var provider = Build(o => o.Retention = TimeSpan.FromDays(90), time);
        var audit = provider.GetRequiredService<IAuditLog>();
        Guid converted = Guid.NewGuid(), contacted = Guid.NewGuid();
        var start = Now.AddDays(-200);
        await audit.AppendManyAsync(new[]
        {
            new AuditEvent(converted, "c", Guid.Empty, 1, "dedup", null, LeadStatus.New, "harvested", start),
            new AuditEvent(converted, "c", Guid.Empty, 2, "nurture", LeadStatus.New, LeadStatus.Converted, "converted", start.AddDays(1)),
            new AuditEvent(contacted, "c", Guid.Empty, 1, "dedup", null, LeadStatus.New, "harvested", start),
            new AuditEvent(contacted, "c", Guid.Empty, 2, "nurture", LeadStatus.New, LeadStatus.Contacted, "step 1 sent", start.AddDays(1)),
        });

        var deleted = await provider.GetRequiredService<AuditRetention>().PruneAsync();

        Assert.Equal(1, deleted);
        Assert.Equal([2L], (await audit.ReadAsync(converted)).Select(e => e.Sequence));
        Assert.Equal([1L, 2L], (await audit.ReadAsync(contacted)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task PruneAsync_NoRetentionConfigured_KeepsEverything()
    {
        var time = new FakeTimeProvider(Now);
        await using var provider = Build(_ => { }, time);
        var audit = provider.GetRequiredService<IAuditLog>();
        var lead = Guid.NewGuid();
        await audit.AppendAsync(new AuditEvent(lead, "c", Guid.Empty, 1, "dedup", null, LeadStatus.New, "harvested", Now.AddYears(-5)));
        await audit.AppendAsync(new AuditEvent(lead, "c", Guid.Empty, 2, "qualify", LeadStatus.New, LeadStatus.Disqualified, "too small", Now.AddYears(-5)));

        Assert.Equal(0, await provider.GetRequiredService<AuditRetention>().PruneAsync());
        Assert.Equal(2, (await audit.ReadAsync(lead)).Count);
    }

    [Fact]
    public async Task Options_RetentionShorterThanADay_FailsAtStartNamingTheOption()
    {
        await using var provider = Build(o => o.Retention = TimeSpan.FromHours(1), new FakeTimeProvider(Now));

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<Aicmo.Sdk.Pipeline.AicmoPipelineOptions>>().Value);

        Assert.Contains("AuditRetention.Retention", failure.Message, StringComparison.Ordinal);
    }
}
