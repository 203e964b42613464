using Aicmo.Sdk.DependencyInjection;
using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Qualification;
using Aicmo.Sdk.Routing;
using Aicmo.Sdk.Scoring;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Aicmo lead pipeline.</summary>
public static class AicmoServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ILeadPipeline"/> with the default stage engines and in-memory stores. Options are validated when the
    /// host starts (or when the pipeline is first resolved); an invalid value fails with a message that names it.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures <see cref="AicmoPipelineOptions"/>.</param>
    /// <returns>A builder to add sources, stages, stores and providers.</returns>
    public static IAicmoPipelineBuilder AddAicmoPipeline(this IServiceCollection services, Action<AicmoPipelineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(AicmoPipelineMarker)))
        {
            throw new InvalidOperationException("AddAicmoPipeline was called twice; register the pipeline once and configure it through the builder.");
        }

        services.AddSingleton<AicmoPipelineMarker>();
        var optionsBuilder = services.AddOptions<AicmoPipelineOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        optionsBuilder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AicmoPipelineOptions>, AicmoPipelineOptionsValidator>());

        // Each engine's options are their own IOptions<T>, validated on start by their own validator; their values are the
        // section of the pipeline's options that holds them, so one configuration section sets them all.
        const string P = nameof(AicmoPipelineOptions) + ".";
        AddSection<WaterfallEnricherOptions>(services, new(P + nameof(AicmoPipelineOptions.Enrichment), static o => o.Enrichment, static (o, p) => o.Validate(p)));
        AddSection<RuleBasedScorerOptions>(services, new(P + nameof(AicmoPipelineOptions.Scoring), static o => o.Scoring, static (o, p) => o.Validate(p)));
        AddSection<ThresholdQualifierOptions>(services, new(P + nameof(AicmoPipelineOptions.Qualification), static o => o.Qualification, static (o, p) => o.Validate(p)));
        AddSection<TierRouterOptions>(services, new(P + nameof(AicmoPipelineOptions.Routing), static o => o.Routing, static (o, p) => o.Validate(p)));
        AddSection<EmailNurturerOptions>(services, new(P + nameof(AicmoPipelineOptions.Nurture), static o => o.Nurture, static (o, p) => o.Validate(p)));
        AddSection<ErasureOptions>(services, new(P + nameof(AicmoPipelineOptions.Erasure), static o => o.Erasure, static (o, p) => o.Validate(p)));
        AddSection<AuditRetentionOptions>(services, new(P + nameof(AicmoPipelineOptions.AuditRetention), static o => o.AuditRetention, static (o, p) => o.Validate(p)));

        // The nurture passes start from the runner's settings (a copy: configuring one never changes the other). The pipeline's
        // validator checks those, so this section's check reports only what Configure<NurtureServiceOptions> made invalid.
        AddSection<NurtureServiceOptions>(services, new(nameof(NurtureServiceOptions), NurtureServiceSettings, static (o, p) => o.Validate(p)), partOfPipeline: false);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILeadEnricher, WaterfallEnricher>());
        services.TryAddSingleton<ILeadScorer, RuleBasedScorer>();
        services.TryAddSingleton<ILeadQualifier, ThresholdQualifier>();
        services.TryAddSingleton<ILeadRouter, TierRouter>();
        services.TryAddSingleton<ILeadNurturer, EmailNurturer>();
        services.TryAddSingleton<ITemplateRenderer>(PlaceholderTemplateRenderer.Instance);
        services.TryAddSingleton<NurtureService>();
        AicmoPipelineBuilderExtensions.AddInMemoryStoreDefaults(services);
        services.TryAddSingleton<LeadDashboard>();
        services.TryAddSingleton(static sp => new SuppressionHasher(sp.GetRequiredService<IOptions<ErasureOptions>>().Value));
        services.TryAddSingleton<LeadEraser>();
        services.TryAddSingleton<LeadQuarantine>();
        services.TryAddSingleton(static sp => sp.GetRequiredService<IOptions<EmailNurturerOptions>>().Value.CreateUnsubscribeSigner());
        services.TryAddSingleton<AuditRetention>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPersonalDataHolder, PipelineEventRedactor>());
        services.TryAddSingleton<LiveRuns>();
        services.TryAddSingleton<ILeadPipeline, LeadPipeline>();
        return new AicmoPipelineBuilder(services);
    }

    private static NurtureServiceOptions NurtureServiceSettings(AicmoPipelineOptions pipeline)
    {
        var options = new NurtureServiceOptions { DryRun = pipeline.DryRun, MaxParallelism = pipeline.ParallelismFor(StageNames.Nurture) };
        options.Retry.MaxRetryAttempts = pipeline.Retry.MaxRetryAttempts;
        options.Retry.BaseDelay = pipeline.Retry.BaseDelay;
        options.Retry.MaxDelay = pipeline.Retry.MaxDelay;
        options.Retry.UseJitter = pipeline.Retry.UseJitter;
        options.Retry.IsTransient = pipeline.Retry.IsTransient;
        return options;
    }

    private static void AddSection<TOptions>(IServiceCollection services, PipelineSection<TOptions> section, bool partOfPipeline = true)
        where TOptions : class
    {
        services.AddSingleton(section);
        services.AddSingleton<IValidateOptions<TOptions>>(section);
        if (partOfPipeline)
        {
            services.AddSingleton(section.AsPartOfPipeline);
        }

        services.AddTransient<IOptionsFactory<TOptions>, PipelineSectionOptionsFactory<TOptions>>();
        services.AddOptions<TOptions>().ValidateOnStart();
    }

    private sealed record AicmoPipelineBuilder(IServiceCollection Services) : IAicmoPipelineBuilder;

    private sealed class AicmoPipelineMarker;
}
