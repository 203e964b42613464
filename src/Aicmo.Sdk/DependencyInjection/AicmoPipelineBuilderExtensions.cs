using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds sources, stages, stores and providers to the pipeline.</summary>
public static class AicmoPipelineBuilderExtensions
{
    /// <summary>Adds a lead source, created by the container. Several sources may be added; they are read concurrently.</summary>
    /// <typeparam name="TSource">The source type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder AddLeadSource<TSource>(this IAicmoPipelineBuilder builder)
        where TSource : class, ILeadSource
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<ILeadSource, TSource>();
        return builder;
    }

    /// <summary>Adds a lead source instance.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="source">The source.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder AddLeadSource(this IAicmoPipelineBuilder builder, ILeadSource source)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(source);
        builder.Services.AddSingleton(source);
        return builder;
    }

    /// <summary>Adds an enricher; enrichers run in the order added, after the built-in <see cref="WaterfallEnricher"/>.</summary>
    /// <typeparam name="TEnricher">The enricher type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder AddEnricher<TEnricher>(this IAicmoPipelineBuilder builder)
        where TEnricher : class, ILeadEnricher
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILeadEnricher, TEnricher>());
        return builder;
    }

    /// <summary>Adds an enrichment provider, asked in the order added by the built-in <see cref="WaterfallEnricher"/> for fields still missing (unless <see cref="WaterfallEnricherOptions.Fields"/> orders a field's providers otherwise).</summary>
    /// <typeparam name="TProvider">The provider type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder AddEnrichmentProvider<TProvider>(this IAicmoPipelineBuilder builder)
        where TProvider : class, IEnrichmentProvider
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IEnrichmentProvider, TProvider>());
        return builder;
    }

    /// <summary>Replaces the scorer.</summary>
    /// <typeparam name="TScorer">The scorer type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder UseScorer<TScorer>(this IAicmoPipelineBuilder builder)
        where TScorer : class, ILeadScorer => builder.Replace<ILeadScorer, TScorer>();

    /// <summary>Replaces the qualifier.</summary>
    /// <typeparam name="TQualifier">The qualifier type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder UseQualifier<TQualifier>(this IAicmoPipelineBuilder builder)
        where TQualifier : class, ILeadQualifier => builder.Replace<ILeadQualifier, TQualifier>();

    /// <summary>Replaces the router.</summary>
    /// <typeparam name="TRouter">The router type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder UseRouter<TRouter>(this IAicmoPipelineBuilder builder)
        where TRouter : class, ILeadRouter => builder.Replace<ILeadRouter, TRouter>();

    /// <summary>Replaces the nurturer.</summary>
    /// <typeparam name="TNurturer">The nurturer type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder UseNurturer<TNurturer>(this IAicmoPipelineBuilder builder)
        where TNurturer : class, ILeadNurturer => builder.Replace<ILeadNurturer, TNurturer>();

    /// <summary>Adds a custom stage that runs after <paramref name="runsAfter"/>.</summary>
    /// <typeparam name="TStage">The stage type, created once by the container.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="runsAfter">The stage it follows (see <see cref="StageNames"/>).</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder AddStage<TStage>(this IAicmoPipelineBuilder builder, string runsAfter = StageNames.Enrich)
        where TStage : class, ILeadStage
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(runsAfter);
        builder.Services.TryAddSingleton<TStage>();
        builder.Services.AddSingleton(new CustomStageRegistration(runsAfter, static sp => sp.GetRequiredService<TStage>()));
        return builder;
    }

    /// <summary>Adds a custom stage instance that runs after <paramref name="runsAfter"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="stage">The stage; shared by every worker and run, so it must be thread-safe.</param>
    /// <param name="runsAfter">The stage it follows (see <see cref="StageNames"/>).</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder AddStage(this IAicmoPipelineBuilder builder, ILeadStage stage, string runsAfter = StageNames.Enrich)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentException.ThrowIfNullOrWhiteSpace(runsAfter);
        builder.Services.AddSingleton(new CustomStageRegistration(runsAfter, _ => stage));
        return builder;
    }

    /// <summary>Sets the mail transport the nurturer sends through.</summary>
    /// <typeparam name="TSender">The sender type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder AddEmailSender<TSender>(this IAicmoPipelineBuilder builder)
        where TSender : class, IEmailSender => builder.Replace<IEmailSender, TSender>();

    /// <summary>Sets a mail transport instance.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="sender">The sender.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder AddEmailSender(this IAicmoPipelineBuilder builder, IEmailSender sender)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(sender);
        builder.Services.RemoveAll<IEmailSender>();
        builder.Services.AddSingleton(sender);
        return builder;
    }

    /// <summary>Sets the clock every stage, retry and timestamp uses.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder UseTimeProvider(this IAicmoPipelineBuilder builder, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(timeProvider);
        builder.Services.RemoveAll<TimeProvider>();
        builder.Services.AddSingleton(timeProvider);
        return builder;
    }

    /// <summary>
    /// Uses the in-memory stores. This is the default when no store is named; call it to say so explicitly, or to replace
    /// a store registered earlier. They keep everything in process memory and forget it when the process ends.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IAicmoPipelineBuilder UseInMemoryStores(this IAicmoPipelineBuilder builder) => builder.UseStores(AddInMemoryStoreDefaults);

    /// <summary>
    /// Replaces every store (<see cref="ILeadRepository"/>, <see cref="ICampaignRepository"/>, <see cref="IRunRepository"/>,
    /// <see cref="IAuditLog"/>, <see cref="IEmailOutbox"/>, <see cref="ISuppressionList"/>, <see cref="IRejectionLog"/>,
    /// <see cref="IJobStore"/>, <see cref="ILeadStatistics"/>, <see cref="IMessageInbox"/> and <see cref="ILimitCounters"/>) with those <paramref name="addStores"/> registers. Store packages
    /// (<c>UseSqlite</c>, <c>UsePostgreSql</c>) call it, so stores are never mixed from two packages.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="addStores">Registers one implementation of each store.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="addStores"/> left a store unregistered; the message names it.</exception>
    public static IAicmoPipelineBuilder UseStores(this IAicmoPipelineBuilder builder, Action<IServiceCollection> addStores)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(addStores);
        var services = builder.Services;
        foreach (var store in StoreTypes)
        {
            services.RemoveAll(store);
        }

        addStores(services);
        foreach (var store in StoreTypes)
        {
            if (!services.Any(d => d.ServiceType == store))
            {
                throw new InvalidOperationException($"The store registration added no {store.Name}; a store package must register every store.");
            }
        }

        return builder;
    }

    internal static void AddInMemoryStoreDefaults(IServiceCollection services)
    {
        services.TryAddSingleton<ILeadRepository, InMemoryLeadRepository>();
        services.TryAddSingleton<ICampaignRepository, InMemoryCampaignRepository>();
        services.TryAddSingleton<IRunRepository, InMemoryRunRepository>();
        services.TryAddSingleton<IAuditLog, InMemoryAuditLog>();
        services.TryAddSingleton<IEmailOutbox, InMemoryEmailOutbox>();
        services.TryAddSingleton<ISuppressionList, InMemorySuppressionList>();
        services.TryAddSingleton<IRejectionLog, InMemoryRejectionLog>();
        services.TryAddSingleton<IJobStore, InMemoryJobStore>();
        services.TryAddSingleton<ILeadStatistics, InMemoryLeadStatistics>();
        services.TryAddSingleton<IMessageInbox, InMemoryMessageInbox>();
        services.TryAddSingleton<ILimitCounters, InMemoryLimitCounters>();
    }

    private static readonly Type[] StoreTypes =
    [
        typeof(ILeadRepository), typeof(ICampaignRepository), typeof(IRunRepository), typeof(IAuditLog), typeof(IEmailOutbox),
        typeof(ISuppressionList), typeof(IRejectionLog), typeof(IJobStore), typeof(ILeadStatistics), typeof(IMessageInbox),
        typeof(ILimitCounters),
    ];

    private static IAicmoPipelineBuilder Replace<TService, TImplementation>(this IAicmoPipelineBuilder builder)
        where TService : class
        where TImplementation : class, TService
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<TService>();
        builder.Services.AddSingleton<TService, TImplementation>();
        return builder;
    }
}
