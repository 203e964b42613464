using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Tests.Nurture;

public sealed class NurtureServiceOptionsTests
{
    [Fact]
    public void AddAicmoPipeline_PipelineSettings_AreTheNurtureServiceDefaults()
    {
        using var provider = Provider(o =>
        {
            o.DryRun = true;
            o.DegreeOfParallelism = 3;
            o.StageParallelism[StageNames.Nurture] = 7;
            o.Retry.MaxRetryAttempts = 5;
            o.Retry.BaseDelay = TimeSpan.FromSeconds(1);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(4);
            o.Retry.UseJitter = false;
        });

        var options = provider.GetRequiredService<IOptions<NurtureServiceOptions>>().Value;

        Assert.True(options.DryRun);
        Assert.Equal(7, options.MaxParallelism);
        Assert.Equal(5, options.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(4), options.Retry.MaxDelay);
        Assert.False(options.Retry.UseJitter);
    }

    [Fact]
    public void Configure_NurtureServiceOptions_AppliesOnTop_AndLeavesThePipelineRetryAsItWas()
    {
        using var provider = Provider(o => o.Retry.MaxRetryAttempts = 2, services => services.Configure<NurtureServiceOptions>(o =>
        {
            o.MaxParallelism = 1;
            o.Retry.MaxRetryAttempts = 0;
        }));

        var options = provider.GetRequiredService<IOptions<NurtureServiceOptions>>().Value;

        Assert.Equal(1, options.MaxParallelism);
        Assert.Equal(0, options.Retry.MaxRetryAttempts);
        Assert.Equal(2, provider.GetRequiredService<IOptions<AicmoPipelineOptions>>().Value.Retry.MaxRetryAttempts);
    }

    [Theory]
    [InlineData("MaxParallelism", "NurtureServiceOptions.MaxParallelism must be between 1 and 1024 (was 0).")]
    [InlineData("Retry.MaxRetryAttempts", "NurtureServiceOptions.Retry.MaxRetryAttempts must be between 0 and 100 (was -1).")]
    [InlineData("Retry.MaxDelay", "NurtureServiceOptions.Retry.MaxDelay must not be shorter than BaseDelay")]
    public void Start_InvalidNurtureServiceOption_FailsNamingIt(string option, string expected)
    {
        using var provider = Provider(configureServices: services => services.Configure<NurtureServiceOptions>(o =>
        {
            switch (option)
            {
                case "MaxParallelism":
                    o.MaxParallelism = 0;
                    break;
                case "Retry.MaxRetryAttempts":
                    o.Retry.MaxRetryAttempts = -1;
                    break;
                default:
                    o.Retry.MaxDelay = TimeSpan.FromMilliseconds(1);
                    break;
            }
        }));

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_PipelineRetryInvalid_IsReportedOnceByThePipelinesOwnCheck()
    {
        using var provider = Provider(o => o.Retry.MaxRetryAttempts = -1);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AicmoPipelineOptions>>().Value);

        Assert.Single(ex.Failures, f => f.Contains("Retry.MaxRetryAttempts", StringComparison.Ordinal));
        Assert.StartsWith("AicmoPipelineOptions.Retry.MaxRetryAttempts", ex.Failures.Single(f => f.Contains("Retry.MaxRetryAttempts", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    private static ServiceProvider Provider(Action<AicmoPipelineOptions>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline(configure).AddLeadSource(new SyntheticLeadSource(1));
        configureServices?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
