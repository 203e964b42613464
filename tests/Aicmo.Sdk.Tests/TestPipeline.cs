using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Tests;

/// <summary>Builds a real pipeline (DI, default engines, in-memory stores) for a test.</summary>
internal sealed class TestPipeline : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private TestPipeline(ServiceProvider provider, RecordingEmailSender sender)
    {
        _provider = provider;
        Sender = sender;
    }

    public RecordingEmailSender Sender { get; }

    public ILeadPipeline Pipeline => _provider.GetRequiredService<ILeadPipeline>();

    public ILeadRepository Leads => _provider.GetRequiredService<ILeadRepository>();

    public IAuditLog Audit => _provider.GetRequiredService<IAuditLog>();

    public IEmailOutbox Outbox => _provider.GetRequiredService<IEmailOutbox>();

    public ISuppressionList Suppression => _provider.GetRequiredService<ISuppressionList>();

    public IRunRepository Runs => _provider.GetRequiredService<IRunRepository>();

    public static TestPipeline Create(
        IEnumerable<ILeadSource> sources,
        Action<AicmoPipelineOptions>? configure = null,
        Action<IAicmoPipelineBuilder>? build = null)
    {
        var sender = new RecordingEmailSender();
        var services = new ServiceCollection();
        var builder = services.AddAicmoPipeline(o =>
        {
            // Fast retries keep fault tests quick; tests that need other values override them.
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
            o.ProgressInterval = TimeSpan.FromMilliseconds(20);
            configure?.Invoke(o);
        });
        foreach (var source in sources)
        {
            builder.AddLeadSource(source);
        }

        builder.AddEmailSender(sender);
        build?.Invoke(builder);
        return new TestPipeline(services.BuildServiceProvider(validateScopes: true), sender);
    }

    public static TestPipeline Create(ILeadSource source, Action<AicmoPipelineOptions>? configure = null, Action<IAicmoPipelineBuilder>? build = null) =>
        Create([source], configure, build);

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    /// <summary>A candidate with every field a good lead has.</summary>
    public static LeadCandidate GoodCandidate(int i, string domain = "acme-corp.com") => new()
    {
        ExternalId = "ext-" + i,
        FirstName = "Ada" + i,
        LastName = "Lovelace",
        Email = $"ada{i}@{domain}",
        Title = "VP of Engineering",
        Phone = "+1 555 0100",
        CompanyName = "Acme Corp",
        CompanyDomain = domain,
        Industry = "Software",
        CompanySize = 1200,
        Country = "US",
    };

    /// <summary>Asserts the conservation invariant and that the counts match what the stores hold.</summary>
    public static void AssertBalanced(PipelineRunResult result)
    {
        Assert.True(result.IsBalanced, $"not balanced: harvested {result.Harvested} vs duplicates {result.Duplicates} + disqualified {result.Disqualified} + review {result.ManualReview} + routed {result.Routed} + contacted {result.Contacted} + suppressed {result.Suppressed} + quarantined {result.Quarantined} + pending {result.Pending}");
        if (result.Pending != 0)
        {
            return;
        }

        for (var i = 1; i < result.Stages.Count; i++)
        {
            // Every item that entered a stage left it exactly one way, and what left one stage entered the next.
            var stage = result.Stages[i];
            Assert.Equal(stage.In, stage.Out + stage.Duplicates + stage.Finished);
            Assert.Equal(result.Stages[i - 1].Out, stage.In);
        }
    }
}

/// <summary>A stage that does nothing but can be told to fail or stall for chosen leads.</summary>
internal sealed class ProbeStage(string name, Func<Lead, CancellationToken, ValueTask<StageResult>> behaviour) : ILeadStage
{
    public string Name { get; } = name;

    public ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken) => behaviour(lead, cancellationToken);
}
